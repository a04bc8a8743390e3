//! The app's fixed tables, in one test binary (each wasm test binary links
//! the whole app; one link instead of two keeps the test run short): every
//! message in both languages (`i18n`), and the route table with its
//! matcher (`routes`). Runs in the browser, like every app test:
//! `cargo test -p xianfeng-app --target wasm32-unknown-unknown`.

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod i18n;
mod routes;
