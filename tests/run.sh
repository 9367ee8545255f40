#!/usr/bin/env bash
# Runs every test: formatting and lints, native engine and command-line tests, the release
# build, the browser tests in headless Chromium, and the end-to-end tests against the built app.
# Installs what is missing first. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)}

step() { printf '\n== %s\n' "$*"; }
step "format";                  cargo fmt --all -- --check
step "lints (native)";          cargo clippy --workspace --all-targets -- -D warnings
step "lints (wasm32)";          cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings
step "lints (wasm32, split)";   cargo clippy --lib --bins --target wasm32-unknown-unknown --features split -- -D warnings
step "native tests";            cargo test
step "release build (dist/)";   trunk build --release
step "browser tests";           cargo test --target wasm32-unknown-unknown
step "end-to-end tests";        cargo test -p e2e
step "all tests passed"
