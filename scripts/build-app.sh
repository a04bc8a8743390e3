#!/usr/bin/env bash
# Builds the release web app into dist/: cargo (wasm32, size-tuned release
# profile, split points on) → wasm-split-cli (the main module and one part
# per group of lazily loaded screens, app/src/lazy.rs) → wasm-bindgen (the
# pinned CLI) on the main module → wasm-opt 132 from npm on every module →
# hashed, precompressed files and the service worker (scripts/package-app.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
out=$target_dir/bindgen

# --emit-relocs lets wasm-split-cli move functions between modules;
# xianfeng_split turns the lazy screens into split points (only here:
# other builds, the browser tests among them, link one module).
# XIANFENG_ONE_MODULE=1 builds the same app as one module (to measure what
# the split costs or saves; use its own CARGO_TARGET_DIR, the flags differ).
rm -rf "$out" && mkdir -p "$out"
if [[ ${XIANFENG_ONE_MODULE:-0} == 1 ]]; then
  cargo build -p xianfeng-app --lib --target wasm32-unknown-unknown --release
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-name xianfeng --out-dir "$out" "$target_dir/wasm32-unknown-unknown/release/xianfeng_app.wasm"
else
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Clink-args=--emit-relocs --cfg xianfeng_split" \
    cargo build -p xianfeng-app --lib --target wasm32-unknown-unknown --release
  wasm-split-cli --target web --out-name xianfeng \
    "$target_dir/wasm32-unknown-unknown/release/xianfeng_app.wasm" "$out"
  # The split exports must survive wasm-bindgen (the parts import them).
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --keep-lld-exports --out-name xianfeng --out-dir "$out" "$out/xianfeng.wasm"
  rm "$out/xianfeng.wasm"
fi
# Never Debian's binaryen (wasm-opt 108 emits modules Chromium rejects).
# Every module, two at a time (the machine has two cores).
find "$out" -name '*.wasm' -print0 | xargs -0 -P2 -I{} node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  {} -o {}
node scripts/package-app.mjs "$out" "${XIANFENG_DIST:-dist}"
