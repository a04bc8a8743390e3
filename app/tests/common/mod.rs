//! What the app's browser tests share: a fresh database, an enrolled
//! phone, a change as the server sends it back.
#![allow(dead_code)]

use indexed_db_futures::database::Database;
use xianfeng_app::storage::{Identity, Storage};
use xianfeng_core::ids::DeviceId;
use xianfeng_core::sync::{Change, ServerChange};
use xianfeng_core::{Role, Scope};

/// A fresh database under `name` (left over ones are deleted first).
pub async fn fresh(name: &str) -> Storage {
    Database::delete_by_name(name)
        .expect("delete request")
        .await
        .expect("delete");
    Storage::open(name).await.expect("open")
}

/// A city-wide identity of `role` for device `device`.
pub fn identity_as(device: u128, role: Role, name: &str) -> Identity {
    Identity {
        device_id: DeviceId::from_u128(device),
        token: format!("secret-token-{device}"),
        role,
        scope: Scope::City,
        name: name.into(),
        server_id: "test-server".into(),
        device_name: "测试手机".into(),
        enrolled_at: None,
    }
}

/// A city-wide cadre on device `device`.
pub fn identity(device: u128) -> Identity {
    identity_as(device, Role::Cadre, "王秀茗")
}

/// A fresh database enrolled as `who`.
pub async fn enrolled_as(name: &str, who: &Identity) -> Storage {
    let s = fresh(name).await;
    s.set_identity(who).await.expect("identity");
    s
}

/// A fresh database enrolled as a city-wide cadre on device `device`.
pub async fn enrolled(name: &str, device: u128) -> Storage {
    enrolled_as(name, &identity(device)).await
}

/// `change` as the server sends it back: numbered, with its device.
pub fn server_change(server_seq: u64, device: u128, change: Change) -> ServerChange {
    ServerChange {
        server_seq,
        device: DeviceId::from_u128(device),
        change,
    }
}
