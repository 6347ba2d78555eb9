#!/usr/bin/env bash
# Runs Usher's whole test suite on a fresh machine: makes sure PostgreSQL is up, installs what
# the suite needs, then runs every test (SQLite and PostgreSQL) with cargo-nextest when present.
set -euo pipefail
cd "$(dirname "$0")/.."

export USHER_TEST_POSTGRES_URL="${USHER_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

# PostgreSQL: the local server every store test also runs on.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "starting PostgreSQL…"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# Headless Chromium (Debian's, never a downloaded build) and playwright-core drive the passkey
# and console (axe-core: accessibility, phones, dialogs) end-to-end tests; tests/browser pins
# both in its package-lock.json.
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium…"
  apt-get update && apt-get install -y chromium
fi
if ! command -v node >/dev/null 2>&1; then
  echo "installing node…"
  apt-get update && apt-get install -y nodejs npm
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund)
fi
# The OIDC sign-in tests run a real provider (npm `oidc-provider`) under Node.
if [ ! -d tests/oidc/node_modules ]; then
  echo "installing the test OIDC provider (npm ci --prefix tests/oidc)…"
  npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error >/dev/null
fi

# The deploy files (Kubernetes, systemd, compose, .dockerignore) against their own comments.
scripts/check-deploy.sh

if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast "$@"
else
  cargo test --workspace --locked --no-fail-fast "$@"
fi
