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
cargo leptos build --release --precompress --split --cargo-locked >/dev/null 2>&1 || cargo leptos build --release --precompress --split --cargo-locked
# The fixed-rate load generator (latency at half the maximum rate).
cargo build --release --locked -q -p server --example rate_load

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
# (the default: the catalog read model and the guests' page cache) and then
# off (CACHES=off: every page rendered, every query asked of the database),
# each route also as a share of /healthz on the same pinned server; on
# SQLite, then on a fresh PostgreSQL database (BENCH_PG_URL, default the
# local server; skipped if it cannot be reached).
pinned_load() {
  curl -fsS -o /dev/null "http://$ADDR$1"
  taskset -c 1 wrk -t1 -c32 -d"${DURATION}s" --latency "http://$ADDR$1"
}
pinned=("healthz|/healthz" "home|/" "listing|/products?page=3&sort=price-asc" "product|${routes[2]#*|}"
  "category+filters|${routes[1]#*|}" "search|${routes[3]#*|}")
PG_ADMIN="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_DB="octablitz_bench_$$"
backends=(sqlite)
if command -v psql >/dev/null && psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null 2>&1; then
  backends+=(postgres)
  trap 'stop_server; rm -rf "$DATA_DIR"; psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1' EXIT
fi
declare -A pin_rps pin_p99 pin_half
half_rate=("home" "listing" "product")
for backend in "${backends[@]}"; do
  db_env=()
  [ "$backend" = postgres ] && db_env=(DATABASE_URL="${PG_ADMIN%/*}/$PG_DB")
  for mode in on off; do
    PIN_SERVER=1 start_server "${db_env[@]}" CACHES="$mode"
    for entry in "${pinned[@]}"; do
      name="${entry%%|*}"; path="${entry#*|}"
      out="$(pinned_load "$path")"
      errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")"
      pin_rps[$backend.$mode.$name]="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")${errors:+ ($errors non-2xx!)}"
      pin_p99[$backend.$mode.$name]="$(awk '$1=="99%" {print $2}' <<<"$out")"
    done
    # Latency at half the rate just measured, held by rate_load (wrk cannot hold a rate).
    if [ "$mode" = on ]; then
      for name in "${half_rate[@]}"; do
        for entry in "${pinned[@]}"; do [ "${entry%%|*}" = "$name" ] && path="${entry#*|}"; done
        rate="$(awk -v r="${pin_rps[$backend.on.$name]%% *}" 'BEGIN {printf "%d", r / 2}')"
        pin_half[$backend.$name]="$(taskset -c 1 target/release/examples/rate_load "http://$ADDR$path" "$rate" "$DURATION" 32)"
      done
    fi
  done
done
PIN_SERVER=""
start_server
for backend in "${backends[@]}"; do
  printf '\none pinned core, %s (server on CPU 0, 1 worker; wrk on CPU 1, 32 connections; uncompressed):\n' "$backend"
  printf '%-18s %11s %9s %9s %11s %9s %9s %8s\n' route "cached r/s" p99 share "uncached" p99 share "ratio"
  for entry in "${pinned[@]}"; do
    name="${entry%%|*}"; k="$backend"
    on="${pin_rps[$k.on.$name]}"; off="${pin_rps[$k.off.$name]}"
    awk -v n="$name" -v on="$on" -v off="$off" -v hon="${pin_rps[$k.on.healthz]}" -v hoff="${pin_rps[$k.off.healthz]}" \
      -v p1="${pin_p99[$k.on.$name]}" -v p2="${pin_p99[$k.off.$name]}" 'BEGIN {
        printf "%-18s %11.0f %9s %8.2f%% %11.0f %9s %8.2f%% %7.1fx\n", n, on, p1, 100*on/hon, off, p2, 100*off/hoff, on/off }'
  done
  printf 'cached, at half the rate above (rate_load, 32 connections):\n'
  for name in "${half_rate[@]}"; do printf '  %-9s %s\n' "$name" "${pin_half[$backend.$name]}"; done
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

# First load per page: every /pkg file the page's HTML names (the main
# script, the chunks of a lazy page), the main wasm the hydration loader
# fetches (its last argument: it has no preload link) and the split loader
# the main script imports, as the precompressed .br files the server sends.
pkg="$LEPTOS_SITE_ROOT/$LEPTOS_SITE_PKG_DIR"
admin_jar="$DATA_DIR/admin-cookies"
curl -fsS -o /dev/null -c "$admin_jar" -d 'email=admin%40octablitz.local&password=AdminPass123' "http://$ADDR/api/auth/sign-in"
kib() { awk -v b="$1" 'BEGIN {printf "%.0f", b / 1024}'; }
printf '
first load per page (brotli KiB; wasm + js, goal <= 200; css apart):
'
printf '%-16s %8s %8s %8s %8s %s
' page wasm js total "raw wasm" chunks
css_br=$(stat -c %s "$pkg"/octablitz*.css.br | paste -sd+ | bc)
for entry in "home|/|" "listing|/products?page=3&sort=price-asc|" "product|${routes[2]#*|}|" "search|${routes[3]#*|}|" \
  "cart|/cart|" "sign-in|/sign-in|" "account-orders|/account/orders|$jar" "admin|/admin|$admin_jar" \
  "admin-product|/admin/products/1|$admin_jar"; do
  IFS='|' read -r name path cookies <<<"$entry"
  html="$(curl -fsS ${cookies:+-b "$cookies"} "http://$ADDR$path")"
  mapfile -t files < <( { grep -oE 'href="/'"$LEPTOS_SITE_PKG_DIR"'/[^"]+\.(wasm|js)"' <<<"$html" | sed -E 's#^href="/[^/]+/##; s#"$##'
    grep -oE '\("", "[^"]+", "[^"]+", "[^"]+"\);' <<<"$html" | sed -E 's#.*, "([^"]+)"\);$#\1.wasm#'
    (cd "$pkg" && ls __wasm_split.*.js 2>/dev/null); } | sort -u)
  wasm=0; js=0; raw=0; chunks=0
  for f in "${files[@]}"; do
    size=$(stat -c %s "$pkg/$f.br" 2>/dev/null || stat -c %s "$pkg/$f")
    case "$f" in
      *.wasm) wasm=$((wasm + size)); raw=$((raw + $(stat -c %s "$pkg/$f"))); [[ "$f" != octablitz* ]] && chunks=$((chunks + 1)) ;;
      *) js=$((js + size)) ;;
    esac
  done
  printf '%-16s %8s %8s %8s %8s %s\n' "$name" "$(kib $wasm)" "$(kib $js)" "$(kib $((wasm + js)))" "$(kib $raw)" "$chunks"
done
all_wasm=$(stat -c %s "$pkg"/*.wasm.br | paste -sd+ | bc)
printf 'css %s KiB; every wasm file together %s KiB (%s files)\n\n' "$(kib "$css_br")" "$(kib "$all_wasm")" "$(ls "$pkg"/*.wasm | wc -l)"

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
