#!/usr/bin/env bash
# Load-tests the release build of OctaBlitz on this machine and prints one
# line per route: requests/s, p50 and p99 latency and the share of /healthz's
# rate, the brotli quality of dynamic pages both ways, the brotli size of the
# first-load wasm + JS, then checkout and events benchmarks.
# Usage: bench/run.sh [seconds per route, default 10]; BENCH_ONLY=pages
# stops after the page routes and sizes, BENCH_ONLY=pinned after the
# pinned-core table (caches on and off). Needs npm for Lighthouse
# (bench/node_modules, installed on first use) and Debian's chromium.
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
SERVER=""
# Starts the release server with the environment given as arguments
# (VAR=value …), stopping the one before; waits until it is ready. With
# PIN_SERVER set it runs on CPU 0 alone, with one tokio worker thread.
PIN_SERVER=""
start_server() {
  stop_server
  if [ -n "$PIN_SERVER" ]; then
    taskset -c 0 env TOKIO_WORKER_THREADS=1 "$@" target/release/server & SERVER=$!
  else
    env "$@" target/release/server & SERVER=$!
  fi
  for _ in $(seq 1 120); do
    curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://$ADDR/readyz" >/dev/null
}
stop_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  SERVER=""
}
trap 'stop_server; rm -rf "$DATA_DIR"' EXIT
start_server

# One line from wrk's output: name, req/s, p50, p99, the req/s as a share
# of /healthz's in the same run (HEALTHZ_RPS, once measured), and any non-2xx count.
HEALTHZ_RPS=""
LAST_RPS=""
report() {
  local rps p50 p99 errors share=""
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$2")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$2")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$2")"
  errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$2")"
  [ -n "$HEALTHZ_RPS" ] && share="$(awk -v r="$rps" -v h="$HEALTHZ_RPS" 'BEGIN {printf "%.2f%%", 100 * r / h}')"
  LAST_RPS="$rps"
  printf '%-18s %10s %10s %10s %9s%s\n' "$1" "$rps" "$p50" "$p99" "$share" "${errors:+  ($errors non-2xx!)}"
}

# wrk on one route of the running server, brotli accepted.
load() {
  curl -fsS -o /dev/null -H 'Accept-Encoding: br' "http://$ADDR$1"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H 'Accept-Encoding: br' "http://$ADDR$1"
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
printf '%-18s %10s %10s %10s %9s\n' route "req/s" p50 p99 "/healthz"
report healthz "$(load /healthz)"
HEALTHZ_RPS="$LAST_RPS"
for entry in "${routes[@]}"; do
  name="${entry%%|*}"; path="${entry#*|}"
  report "$name" "$(load "$path")"
done

# One pinned core: the server on CPU 0 with one tokio worker, wrk on CPU 1
# (one thread, 32 connections), nothing compressed; the store's caches on
# (the default) and then off (CACHES=off: every page queries the database),
# each route also as a share of /healthz on the same pinned server.
pinned_load() {
  curl -fsS -o /dev/null "http://$ADDR$1"
  taskset -c 1 wrk -t1 -c32 -d"${DURATION}s" --latency "http://$ADDR$1"
}
pinned=("healthz|/healthz" "home|/" "listing|/products?page=3&sort=price-asc" "product|${routes[2]#*|}"
  "category+filters|${routes[1]#*|}" "search|${routes[3]#*|}")
declare -A pin_rps pin_p99
for mode in on off; do
  PIN_SERVER=1 start_server CACHES="$mode"
  for entry in "${pinned[@]}"; do
    name="${entry%%|*}"; path="${entry#*|}"
    out="$(pinned_load "$path")"
    errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")"
    pin_rps[$mode.$name]="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")${errors:+ ($errors non-2xx!)}"
    pin_p99[$mode.$name]="$(awk '$1=="99%" {print $2}' <<<"$out")"
  done
done
PIN_SERVER=""
start_server
printf '\none pinned core (server on CPU 0, 1 worker; wrk on CPU 1, 32 connections; uncompressed):\n'
printf '%-18s %11s %9s %9s %11s %9s %9s %8s\n' route "cached r/s" p99 share "uncached" p99 share "ratio"
for entry in "${pinned[@]}"; do
  name="${entry%%|*}"
  on="${pin_rps[on.$name]}"; off="${pin_rps[off.$name]}"
  awk -v n="$name" -v on="$on" -v off="$off" -v hon="${pin_rps[on.healthz]}" -v hoff="${pin_rps[off.healthz]}" \
    -v p1="${pin_p99[on.$name]}" -v p2="${pin_p99[off.$name]}" 'BEGIN {
      printf "%-18s %11.0f %9s %8.2f%% %11.0f %9s %8.2f%% %7.1fx\n", n, on, p1, 100*on/hon, off, p2, 100*off/hoff, on/off }'
done

if [ "${BENCH_ONLY:-}" = pinned ]; then exit 0; fi

# Compression of dynamic pages: the store's quality (COMPRESSION_QUALITY,
# default 4) against brotli's maximum (11, tower-http's default), on the
# same binary in the same run: req/s and bytes sent per page.
pages=("home|/" "category+filters|${routes[1]#*|}" "product|${routes[2]#*|}")
declare -A rps_default bytes_default
for entry in "${pages[@]}"; do
  name="${entry%%|*}"; path="${entry#*|}"
  out="$(load "$path")"
  rps_default[$name]="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  bytes_default[$name]="$(curl -fsS -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' "http://$ADDR$path")"
done
start_server COMPRESSION_QUALITY=11
printf '\ncompression (brotli) of dynamic pages, this run:\n'
printf '%-18s %12s %12s %10s %10s\n' route "q4 req/s" "q11 req/s" "q4 bytes" "q11 bytes"
for entry in "${pages[@]}"; do
  name="${entry%%|*}"; path="${entry#*|}"
  out="$(load "$path")"
  rps11="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  bytes11="$(curl -fsS -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' "http://$ADDR$path")"
  printf '%-18s %12s %12s %10s %10s\n' "$name" "${rps_default[$name]}" "$rps11" "${bytes_default[$name]}" "$bytes11"
done
start_server

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
printf '\ncart server functions, signed in, carts in Redis:\n'
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

# Lighthouse, mobile (simulated slow 4G, 4x CPU), on the running release
# server: home, a listing and a product page (bench/lighthouse.sh).
printf '\nLighthouse (mobile):\n'
bench/lighthouse.sh "http://$ADDR" / "/products?page=3&sort=price-asc" "${routes[2]#*|}" || echo "(lighthouse did not run)"

# BENCH_ONLY=pages stops here (the routes, compression, sizes and Lighthouse only).
if [ "${BENCH_ONLY:-}" = pages ]; then exit 0; fi

# Checkout under contention: many shoppers at once for a few units, on SQLite
# and PostgreSQL (server/examples/checkout_bench.rs). Oversold must be 0.
printf '\ncheckout under contention:\n'
cargo run --release --locked -q -p server --example checkout_bench -- "${BENCH_SHOPPERS:-400}" "${BENCH_UNITS:-50}"

# Store events: relay throughput (outbox → bus → subscriber) and commit →
# notification latency, in-process and through Redis, on SQLite and
# PostgreSQL (server/examples/events_bench.rs).
printf '\nstore events:\n'
cargo run --release --locked -q -p server --example events_bench -- "${BENCH_EVENTS:-5000}" "${BENCH_EVENT_ORDERS:-100}"

# The catalog at scale: the seed and a generated catalog (BENCH_PRODUCTS,
# default 100,000) on one core: start-up, memory, listing/search/facet
# p50/p95 from the read model and from SQL (server/examples/catalog_scale.rs).
printf '\ncatalog at scale (one core):\n'
cargo build --release --locked -q -p server --example catalog_scale
taskset -c 0 target/release/examples/catalog_scale "${BENCH_PRODUCTS:-100000}"
