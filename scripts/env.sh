# Sourced by the Makefile and scripts: puts the project's build tools first on PATH
# and tells the server binary where cargo-leptos put the site when it is run directly.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_OUTPUT_NAME="${LEPTOS_OUTPUT_NAME:-octablitz}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
export LEPTOS_SITE_PKG_DIR="${LEPTOS_SITE_PKG_DIR:-pkg}"
export LEPTOS_HASH_FILES="${LEPTOS_HASH_FILES:-true}"
