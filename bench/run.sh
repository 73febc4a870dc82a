#!/usr/bin/env bash
# Load-tests the release build of OctaBlitz on this machine and prints one
# line per route: requests/s, p50 and p99 latency, plus the brotli size of
# the first-load wasm + JS. Usage: bench/run.sh [seconds per route, default 10]
#
# The server and wrk share the machine, so figures are relative: compare runs
# on the same box, not against other machines.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
ADDR="${BENCH_ADDR:-127.0.0.1:3200}"

scripts/bootstrap.sh build
if ! command -v wrk >/dev/null; then
  echo "[bench] installing wrk (Debian package)"
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
source scripts/env.sh
cargo leptos build --release --precompress --cargo-locked >/dev/null 2>&1 || cargo leptos build --release --precompress --cargo-locked

DATA_DIR="$(mktemp -d /tmp/octablitz-bench.XXXXXX)"
# Signed-in carts in the local Redis, under a prefix of their own (BENCH_REDIS_URL to change).
REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/0}"
REDIS_PREFIX="octablitz-bench:$$:"
export DATA_DIR LEPTOS_SITE_ADDR="$ADDR" RUST_LOG=warn REDIS_URL REDIS_PREFIX
unset DATABASE_URL
target/release/server & SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA_DIR"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://$ADDR/readyz" >/dev/null

# One line from wrk's output: name, req/s, p50, p99 (and any non-2xx count).
report() {
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$2")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$2")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$2")"
  errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$2")"
  printf '%-18s %10s %10s %10s%s\n' "$1" "$rps" "$p50" "$p99" "${errors:+  ($errors non-2xx!)}"
}

routes=(
  "home|/"
  "category+filters|/categories/gpus?brand=asus&brand=msi&in_stock=1&sort=price-asc"
  "product|/products/asus-tuf-gaming-geforce-rtx-4090-oc"
  "search|/search?q=rtx+4090"
  "search-typo|/search?q=mechanicl+keybord"
  "api-listing|/api/catalog/listing?category=gpus&query=sort%3Dprice-asc"
)

printf '\nOctaBlitz bench: %ss per route, %s connections, 2 wrk threads, SQLite, %s\n' "$DURATION" "$CONNECTIONS" "$(date -u +%F)"
printf '%-18s %10s %10s %10s\n' route "req/s" p50 p99
for entry in "${routes[@]}"; do
  name="${entry%%|*}"; path="${entry#*|}"
  # Warm caches once so the first request's work is not measured.
  curl -fsS -o /dev/null "http://$ADDR$path"
  out="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H 'Accept-Encoding: br' "http://$ADDR$path")"
  report "$name" "$out"
done

# Cart server functions, signed in as the demo customer, carts in Redis.
jar="$DATA_DIR/cookies"
curl -fsS -o /dev/null -c "$jar" -d 'email=test-customer%40octablitz.local&password=TestPass123' "http://$ADDR/api/auth/sign-in"
access="$(awk '$6=="ob_at" {print $7}' "$jar")"
lua="$DATA_DIR/post.lua"
cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "ob_at=" .. os.getenv("BENCH_ACCESS")
LUA
for entry in "cart-add|/api/cart/add|product_id=1&quantity=1" "cart-get|/api/cart/get|"; do
  IFS='|' read -r name path body <<<"$entry"
  out="$(BENCH_BODY="$body" BENCH_ACCESS="$access" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "http://$ADDR$path")"
  report "$name" "$out"
done
if command -v redis-benchmark >/dev/null; then
  printf '\nredis-benchmark on the same box (%s connections, for scale):\n' "$CONNECTIONS"
  redis-benchmark -q -c "$CONNECTIONS" -n 50000 -t hset,ping --precision 2 2>/dev/null | tr '\r' '\n' \
    | grep 'requests per second' | tr -s ' ' | sed 's/^ */  /'
fi
redis-cli --scan --pattern "${REDIS_PREFIX}*" 2>/dev/null | xargs -r redis-cli del >/dev/null 2>&1 || true

pkg="$LEPTOS_SITE_ROOT/$LEPTOS_SITE_PKG_DIR"
wasm_br=$(stat -c %s "$pkg"/octablitz*.wasm.br | paste -sd+ | bc)
js_br=$(stat -c %s "$pkg"/octablitz*.js.br | paste -sd+ | bc)
css_br=$(stat -c %s "$pkg"/octablitz*.css.br | paste -sd+ | bc)
wasm_raw=$(stat -c %s "$pkg"/octablitz*.wasm | paste -sd+ | bc)
printf '\nfirst load (brotli): wasm %s KiB (raw %s KiB) + js %s KiB + css %s KiB = %s KiB\n' \
  $((wasm_br / 1024)) $((wasm_raw / 1024)) $((js_br / 1024)) $((css_br / 1024)) $(((wasm_br + js_br + css_br) / 1024))

# Checkout under contention: many shoppers at once for a few units, on SQLite
# and PostgreSQL (server/examples/checkout_bench.rs). Oversold must be 0.
printf '\ncheckout under contention:\n'
cargo run --release --locked -q -p server --example checkout_bench -- "${BENCH_SHOPPERS:-400}" "${BENCH_UNITS:-50}"

# Store events: relay throughput (outbox → bus → subscriber) and commit →
# notification latency, in-process and through Redis, on SQLite and
# PostgreSQL (server/examples/events_bench.rs).
printf '\nstore events:\n'
cargo run --release --locked -q -p server --example events_bench -- "${BENCH_EVENTS:-5000}" "${BENCH_EVENT_ORDERS:-100}"
