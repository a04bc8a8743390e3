//! Cross-crate tests live in `tests/*.rs` beside this file; this library is empty
//! on purpose. Browser end-to-end tests live in `tests/e2e/` (Node + playwright-core).
