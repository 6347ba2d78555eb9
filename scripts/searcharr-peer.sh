#!/usr/bin/env bash
# Runs the member flow of issue 15 through Searcharr 3.2.2, the Python Telegram bot its figures
# were compared with (benches/searcharr_flow.rs), against the same fakes as
# `cargo bench --bench member_flow`. Prepares, once, under SEARCHARR_PEER_DIR (default
# ~/.cache/usher-peers/searcharr-3.2.2): the tag's sources in src/ (cloned from GitHub; put
# them there yourself on a machine without access), with the Bot API's base URL read from
# TG_BASE_URL as the bench needs, and a venv with their requirements from PyPI in venv/.
# A benchmark: it prints figures and never fails on them.
set -euo pipefail
cd "$(dirname "$0")/.."
peer="${SEARCHARR_PEER_DIR:-$HOME/.cache/usher-peers/searcharr-3.2.2}"
mkdir -p "$peer"
if [ ! -f "$peer/src/searcharr.py" ]; then
  git clone --quiet --depth 1 --branch v3.2.2 https://github.com/toddrob99/searcharr "$peer/src"
fi
if ! grep -q TG_BASE_URL "$peer/src/searcharr.py"; then
  sed -i 's|updater = Updater(self.token, use_context=True)|updater = Updater(self.token, use_context=True, base_url=os.environ["TG_BASE_URL"])|' \
    "$peer/src/searcharr.py"
  grep -q TG_BASE_URL "$peer/src/searcharr.py" || { echo "could not point searcharr.py at TG_BASE_URL" >&2; exit 1; }
fi
if [ ! -x "$peer/venv/bin/python" ]; then
  python3 -m venv "$peer/venv"
  "$peer/venv/bin/pip" install --quiet -r "$peer/src/requirements.txt"
fi
USHER_BENCH_SEARCHARR="$peer/src" USHER_BENCH_PYTHON="$peer/venv/bin/python" \
  cargo bench --locked --bench searcharr_flow
