#!/usr/bin/env bash
# Starts the release server for the browser tests on a fresh SQLite store.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# A fresh store in a known place (the cart tests change prices and stock in it).
DATA_DIR="$PWD/target/e2e-data"
rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR"
export DATA_DIR
# Outgoing mail lands where the tests can read it (end2end/tests/helpers.ts: mailTo).
export MAIL_DIR="$PWD/target/e2e-mail"
rm -rf "$MAIL_DIR"
export PUBLIC_URL="http://${E2E_ADDR:-127.0.0.1:3100}"
unset DATABASE_URL
export LEPTOS_SITE_ADDR="${E2E_ADDR:-127.0.0.1:3100}"
export RUST_LOG="${RUST_LOG:-warn}"
# Short access tokens, so the browser tests see sessions outlive them.
export ACCESS_TOKEN_TTL_SECS="${ACCESS_TOKEN_TTL_SECS:-8}"
# Every browser test signs in from 127.0.0.1: one "client" for the per-IP limit.
export AUTH_ATTEMPTS_PER_IP=100000
# …and for the unpaid orders that may hold stock per client address.
export MAX_PENDING_PER_IP=10000
exec target/release/server
