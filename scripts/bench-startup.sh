#!/usr/bin/env bash
# Prints start-to-ready time and resident memory of `usher serve` on SQLite (fresh data folder
# and second start), in release mode. A benchmark: it prints figures and never fails on them.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin usher >/dev/null 2>&1 || cargo build --release --locked --bin usher
bin="${CARGO_TARGET_DIR:-target}/release/usher"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
port=$((20000 + RANDOM % 20000))

measure() {
  local start end pid
  start=$(date +%s%N)
  (cd "$dir" && USHER_LISTEN="127.0.0.1:$port" USHER_LOG=warn exec "$bin" serve >/dev/null 2>&1) &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.005; done
  end=$(date +%s%N)
  sleep 2
  local rss
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  printf '%-22s start to ready %5d ms   idle RSS %6.1f MB\n' "$1" $(((end - start) / 1000000)) "$(echo "$rss / 1024" | bc -l)"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

echo "usher serve on SQLite, release build, $(nproc) cores"
measure "first start (empty)"
measure "second start"
measure "third start"
