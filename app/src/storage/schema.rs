//! The database's versioned schema: one step per version, applied in order
//! from the version found on the phone. A released step is never edited;
//! a change is a new step and a bumped [`SCHEMA_VERSION`].

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyPath;

use super::{BY_KIND, BY_PARENT, BY_RECORD, META, OUTBOX, PULLED, RECORDS};

/// The database name used by the app. Tests open their own names.
pub const DB_NAME: &str = "xianfeng";
/// The current schema version; bump it and add a step to [`upgrade`].
pub const SCHEMA_VERSION: u32 = 3;

/// Schema migrations: one step per version, applied in order from `old`.
pub(super) fn upgrade(old: u32, db: &Database) -> indexed_db_futures::Result<()> {
    if old < 1 {
        db.create_object_store(META).build()?;
    }
    if old < 2 {
        // Records under "<kind>/<id>"; the value carries `kind` and, where a
        // screen lists children of a parent, a denormalised `parent` id.
        let records = db.create_object_store(RECORDS).build()?;
        records
            .create_index(BY_KIND, KeyPath::One("kind"))
            .build()?;
        records
            .create_index(BY_PARENT, KeyPath::from(vec!["kind", "parent"]))
            .build()?;
        // The outbox under the change's `seq` (a number key, so in order);
        // the value is core's `Change`, found per record by `[kind, id]`.
        let outbox = db.create_object_store(OUTBOX).build()?;
        outbox
            .create_index(BY_RECORD, KeyPath::from(vec!["kind", "id"]))
            .build()?;
    }
    if old < 3 {
        // Facts pulled from the server, a page per value (JSON text of
        // the page's new facts) under the page's cursor: one write per
        // page instead of a thousand (see `Storage::apply_pulled`).
        db.create_object_store(PULLED).build()?;
    }
    Ok(())
}
