#!/usr/bin/env bash
# Installs, idempotently, every tool the store needs to build and test.
#   scripts/bootstrap.sh build   # wasm target, cargo-leptos, wasm-bindgen, wasm-opt
#   scripts/bootstrap.sh test    # the above plus Playwright and Chromium
# Each step checks first and does nothing when the tool is already right.
set -euo pipefail
cd "$(dirname "$0")/.."

want="${1:-build}"
CARGO_LEPTOS_VERSION="0.3.10"   # 0.3.11 needs a newer rustc than this toolchain
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust (rustup) first" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes the first time)"
  cargo install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
# Installed without --locked: one of its locked dependencies is gone from the registry.
WBG_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -nE 's/^version = "(.*)"$/\1/p')"
if [ -z "$WBG_VERSION" ]; then
  echo "cannot read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WBG_VERSION" ]; then
  say "installing wasm-bindgen-cli $WBG_VERSION"
  cargo install --force "wasm-bindgen-cli@$WBG_VERSION"
fi

# wasm-opt from npm's binaryen: Debian's binaryen 108 silently breaks release wasm.
if [ ! -x tools/node_modules/.bin/wasm-opt ] || ! tools/node_modules/.bin/wasm-opt --version | grep -q "version 132"; then
  say "installing wasm-opt (npm binaryen@132) into tools/node_modules"
  (cd tools && npm ci --no-audit --no-fund)
fi

if [ "$want" = "test" ]; then
  if [ ! -x end2end/node_modules/.bin/playwright ]; then
    say "installing Playwright (npm) into end2end/node_modules"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium for the browser tests"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  fi
fi
say "tools ready"
