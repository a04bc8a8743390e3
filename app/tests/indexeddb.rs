//! Runs in headless Chromium (wasm-bindgen-test): the storage module opens a
//! real IndexedDB database, writes a record and reads it back.

use serde::{Deserialize, Serialize};
use wasm_bindgen_test::*;
use xianfeng_app::storage::{Storage, SCHEMA_VERSION};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Device {
    name: String,
    taps: u32,
}

#[wasm_bindgen_test]
async fn writes_and_reads_a_record() {
    let storage = Storage::open("xf-test-write-read").await.expect("open");
    assert_eq!(storage.version(), SCHEMA_VERSION);
    let device = Device {
        name: "巡察一组的手机".into(),
        taps: 3,
    };
    storage.put_meta("device", &device).await.expect("put");
    let back: Option<Device> = storage.get_meta("device").await.expect("get");
    assert_eq!(back, Some(device));
    let missing: Option<Device> = storage.get_meta("nothing-here").await.expect("get missing");
    assert_eq!(missing, None);
    storage.close();

    // Reopening sees what was committed.
    let again = Storage::open("xf-test-write-read").await.expect("reopen");
    let back: Option<Device> = again.get_meta("device").await.expect("get after reopen");
    assert_eq!(back.map(|d| d.taps), Some(3));
}
