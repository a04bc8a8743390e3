#!/usr/bin/env bash
# Builds the release web app into dist/: cargo (wasm32, size-tuned release
# profile) → wasm-bindgen (the pinned CLI) → wasm-opt 132 from npm → hashed,
# precompressed files and the service worker (scripts/package-app.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
out=$target_dir/bindgen

cargo build -p xianfeng-app --lib --target wasm32-unknown-unknown --release
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-name xianfeng --out-dir "$out" "$target_dir/wasm32-unknown-unknown/release/xianfeng_app.wasm"
# Never Debian's binaryen (wasm-opt 108 emits modules Chromium rejects).
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/xianfeng_bg.wasm" -o "$out/xianfeng_bg.wasm"
node scripts/package-app.mjs "$out" dist
