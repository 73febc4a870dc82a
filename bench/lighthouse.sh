#!/usr/bin/env bash
# Lighthouse (npm, bench/node_modules) on the running store at $1, mobile
# (its default: simulated slow 4G, 4x CPU slowdown), with Debian's chromium:
# one line per page with the four category scores, LCP, TBT and CLS.
# Usage: bench/lighthouse.sh http://127.0.0.1:3200 [path …]
set -euo pipefail
cd "$(dirname "$0")"
BASE="$1"; shift
[ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund >/dev/null
CHROME_PATH="${CHROME_PATH:-$(command -v chromium || command -v chromium-browser)}"
export CHROME_PATH
out="$(mktemp -d /tmp/octablitz-lh.XXXXXX)"
trap 'rm -rf "$out"' EXIT
printf '%-44s %5s %5s %5s %5s %8s %7s %6s\n' page perf a11y bp seo LCP TBT CLS
for path in "$@"; do
  node_modules/.bin/lighthouse "$BASE$path" --quiet --output=json --output-path="$out/report.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1 || { echo "$path: lighthouse failed"; continue; }
  node -e '
    const r = require(process.argv[1]); const c = r.categories, a = r.audits;
    const s = k => Math.round(100 * (c[k].score ?? 0));
    console.log([process.argv[2].padEnd(44), ...["performance","accessibility","best-practices","seo"].map(k => String(s(k)).padStart(5)),
      (a["largest-contentful-paint"].numericValue / 1000).toFixed(2).padStart(7) + "s",
      (Math.round(a["total-blocking-time"].numericValue) + "ms").padStart(7),
      a["cumulative-layout-shift"].numericValue.toFixed(3).padStart(6)].join(" "));
  ' "$out/report.json" "$path"
done
