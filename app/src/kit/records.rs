//! `use_records`: a screen's data, loaded from the store the one way every
//! screen loads it.
//!
//! Why one hook: the sections had three loaders (`screen` + `Reload`,
//! `use_board`, `WithData`), each with its own rule for when to reload and
//! how to find out who the phone is, and one of them showed 本机尚未登记 on
//! an enrolled phone after a page load. Here:
//!
//! - **The identity first.** Right after a page load (a reload, a shared
//!   link, a tab Android restored) the sync status has not read the
//!   identity yet: the database decides, never the status's empty first
//!   value, so every screen survives a cold start.
//! - **One decode path.** The store decoded and validated every record
//!   once (`store::Table::upsert`); a section's `load` only picks shared
//!   snapshots out of it.
//! - **One reload rule** ([`Reload`]): after every write and pulled page
//!   that touched the section's kinds or the org (`store::stamp`), never
//!   while the user is typing into a form that loaded once.
//!
//! ```ignore
//! let board = use_records(&KINDS, Reload::Live, |_identity| async {
//!     Board::load().await.map(Arc::new)
//! });
//! view! { {kit::show(board, |b: Arc<Board>| view! { … }.into_any())} }
//! ```

use std::future::Future;

use leptos::prelude::*;
use xianfeng_core::RecordKind;

use crate::storage::{self, Identity, StorageError};
use crate::sync::SyncStatus;

/// A screen's data: loading (`None`), loaded, or the storage error.
pub type Records<T> = LocalResource<Result<T, StorageError>>;

/// When a screen loads its data again.
#[derive(Clone, Copy)]
pub enum Reload {
    /// After every write and pulled page that touched its kinds or the
    /// org, and when the identity changes (lists, cards, rankings).
    Live,
    /// As `Live`, and whenever `bump` moves (a choice kept outside the
    /// records, e.g. 我是…).
    Bumped(RwSignal<u32>),
    /// As `Live`, but not while `busy` (a screen writing many records in
    /// a row, e.g. a roster import, reloads once when it is done).
    UnlessBusy(RwSignal<bool>),
    /// Once (forms: a sync while typing must not redraw the form under
    /// the user's thumb; a screen that applies its own writes).
    Once,
}

/// What a screen's data depends on: when its kinds last changed, its own
/// bump, and the enrolled identity.
type Key = (u64, u32, Option<Identity>);

/// The records a screen shows: `load(identity)` over the store, reloaded
/// by `reload` when any of `kinds` (or the org) changes.
pub fn use_records<T, F, Fut>(kinds: &'static [RecordKind], reload: Reload, load: F) -> Records<T>
where
    T: 'static,
    F: Fn(Option<Identity>) -> Fut + 'static,
    Fut: Future<Output = Result<T, StorageError>> + 'static,
{
    let status = SyncStatus::use_context();
    let key = Memo::new(move |prev: Option<&Key>| {
        let (bump, frozen) = match reload {
            Reload::Live => (0, false),
            Reload::Bumped(bump) => (bump.get(), false),
            Reload::UnlessBusy(busy) => (0, busy.get()),
            Reload::Once => (0, true),
        };
        match prev {
            // A screen opened by its address is keyed before the sync
            // status has read the identity: the load asks the database
            // then, so freezing that first key is safe.
            Some(prev) if frozen => prev.clone(),
            _ => status.with(|s| (crate::store::stamp(kinds), bump, s.identity.clone())),
        }
    });
    let load = std::rc::Rc::new(load);
    LocalResource::new(move || {
        let known = key.get().2;
        let load = load.clone();
        async move { load(identity(known).await?).await }
    })
}

/// Who this phone is: as the sync status knows it, else as stored (right
/// after a page load the status has not read it yet); `None` before
/// enrollment.
pub async fn identity(known: Option<Identity>) -> Result<Option<Identity>, StorageError> {
    match known {
        Some(known) => Ok(Some(known)),
        None => storage::shared().await?.identity().await,
    }
}
