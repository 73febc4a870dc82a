# OctaBlitz: the two commands of the README.
#   make run    builds (release) and runs the store on http://127.0.0.1:3000
#   make test   lints, runs every Rust test (SQLite + PostgreSQL) and the browser tests
# Both install what is missing first (scripts/bootstrap.sh).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
ENV := source scripts/env.sh
# `--split`: lazy pages (app/src/app.rs, `lazy_pages!`) become wasm chunks of
# their own, loaded on first use; the first load carries the storefront only.
SITE_FLAGS := --release --precompress --split

.PHONY: run test build bootstrap lint test-rust e2e bench fmt dev

run: ## Build the release site and serve it (SQLite in ./var unless DATABASE_URL is set)
	scripts/bootstrap.sh build
	$(ENV) && cargo leptos serve $(SITE_FLAGS)

dev: ## Rebuild and reload on change (debug)
	scripts/bootstrap.sh build
	$(ENV) && cargo leptos watch

build:
	scripts/bootstrap.sh build
	$(ENV) && cargo leptos build $(SITE_FLAGS) --cargo-locked

# A whole run from scratch gains nothing from incremental caches, and they
# cost gigabytes of disk beside the debug, check and release builds.
test: export CARGO_INCREMENTAL = 0
test: ## Every check and test, as CI runs it
	scripts/bootstrap.sh test
	$(MAKE) lint
	$(MAKE) test-rust
	$(MAKE) e2e

lint: ## Formatting, and clippy on the ssr build and the wasm32 hydrate build separately
	$(ENV) && cargo fmt --all -- --check
	$(ENV) && cargo clippy --all-targets --locked -- -D warnings
	$(ENV) && cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings

test-rust: ## Unit and integration tests (PostgreSQL at TEST_DATABASE_URL, default local)
	$(ENV) && cargo test --locked

e2e: ## Release build and the payment fakes, then Playwright against a fresh SQLite store (hydrated, no-JS, 320px)
	$(ENV) && cargo leptos build $(SITE_FLAGS) --cargo-locked
	$(ENV) && cargo build --locked -p payment-fakes --bin payment-fakes
	$(ENV) && cd end2end && npx playwright test

bench: ## Load-test the release build (see bench/run.sh and the README's Benchmark section)
	bench/run.sh

fmt:
	cargo fmt --all
