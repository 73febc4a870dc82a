#!/usr/bin/env bash
# Starts the local Stripe and PayPal fakes (the payment-fakes crate) for the
# browser tests: their hosted pages deliver signed webhooks to the e2e store.
set -euo pipefail
cd "$(dirname "$0")/.."
export FAKE_STORE_URL="http://${E2E_ADDR:-127.0.0.1:3100}"
export FAKE_STRIPE_ADDR="${FAKE_STRIPE_ADDR:-127.0.0.1:3110}"
export FAKE_PAYPAL_ADDR="${FAKE_PAYPAL_ADDR:-127.0.0.1:3111}"
export RUST_LOG="${RUST_LOG:-warn}"
exec target/debug/payment-fakes
