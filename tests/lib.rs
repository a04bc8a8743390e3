//! Cross-crate tests are Cargo test targets beside this file, not in it:
//! `fuzz/` (property-based fuzzing of every decoder, against core and the
//! real server) and `lint/` (no Chinese string literal in the app's code
//! outside `app/src/i18n/`); `tools/` holds the `xianfeng-city` tool. This
//! library is empty on purpose. Browser end-to-end tests live in `tests/e2e/`
//! (Node + playwright-core).
