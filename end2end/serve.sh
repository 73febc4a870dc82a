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
# Stripe and PayPal beside the stub, pointed at the local fakes (fakes.sh),
# with the keys the fakes accept (fakes/src/stripe.rs, fakes/src/paypal.rs).
STRIPE="http://${FAKE_STRIPE_ADDR:-127.0.0.1:3110}"
PAYPAL="http://${FAKE_PAYPAL_ADDR:-127.0.0.1:3111}"
export PAYMENT_PROVIDERS=stripe,paypal
export STRIPE_SECRET_KEY=sk_test_octablitz_fake STRIPE_WEBHOOK_SECRET=whsec_octablitz_fake
export STRIPE_API_BASE="$STRIPE" STRIPE_CHECKOUT_ORIGIN="$STRIPE"
export PAYPAL_CLIENT_ID=fake-client-id PAYPAL_CLIENT_SECRET=fake-client-secret PAYPAL_WEBHOOK_ID=WH-FAKE-0001
export PAYPAL_API_BASE="$PAYPAL" PAYPAL_APPROVAL_ORIGIN="$PAYPAL"
exec target/release/server
