#!/usr/bin/env bash
# The README's second command: installs what the tests need and runs every
# test: native Rust tests, core for wasm32, the app's browser tests in headless
# Chromium, then the end-to-end tests against the real server.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1;32m==> %s\033[0m (at %dm%02ds)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "set-up (idempotent)"
scripts/setup.sh --test

step "format"
cargo fmt --all --check

step "native tests: core, server on SQLite and on PostgreSQL, cross-crate (with a short fixed-seed fuzz pass)"
# (Also builds target/debug/xianfeng-server, the binary the end-to-end tests run.)
# with-postgres.sh starts a throw-away PostgreSQL cluster for the server's
# PostgreSQL suite (pg_* tests) and removes it afterwards.
scripts/with-postgres.sh cargo test --workspace --exclude xianfeng-app

step "core builds for wasm32"
cargo check -p xianfeng-core --target wasm32-unknown-unknown

step "app tests in headless Chromium (wasm-bindgen-test)"
cargo test -p xianfeng-app --target wasm32-unknown-unknown --profile wasm-test

step "release build: the app"
scripts/build-app.sh

step "end-to-end: real server, real headless Chromium"
rm -rf test-artifacts
node --test --test-concurrency=1 tests/e2e/
step "all tests passed (screenshots in test-artifacts/)"
