-- 0003: the sync store. See server/src/sync.rs for how these are used.
-- Ids are the hyphenated lowercase UUIDs of the JSON; kinds are the
-- snake_case RecordKind names. Locations (loc_*) are where core's `locate`
-- placed the record: the system, unit, branch and village ids, each NULL
-- where not applicable. Derived numbers are never stored.

-- The log every pull reads, in server_seq order. One row per accepted
-- change: `body` is the JSON of the core `Change` as logged (its HLC
-- clamped to the server's clock). `device` pushed it as its `device_seq`;
-- rows the server writes itself (a record's full state re-sent after it
-- moved to another place, so readers there get all of it) have a NULL
-- device_seq and the device of the stamps they carry.
CREATE TABLE changes (
    server_seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    device      TEXT NOT NULL,
    device_seq  INTEGER,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    loc_system  TEXT,
    loc_unit    TEXT,
    loc_branch  TEXT,
    loc_village TEXT,
    UNIQUE (device, device_seq)
) STRICT;

-- Facts are insert-once: the canonical JSON (keys sorted) decides whether
-- a second arrival is a replay or a conflict. `server_seq` is the log row
-- that brought it (and holds its location).
CREATE TABLE facts (
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    canonical  TEXT NOT NULL,
    server_seq INTEGER NOT NULL REFERENCES changes (server_seq),
    PRIMARY KEY (kind, id)
) STRICT, WITHOUT ROWID;

-- Mutable records, one row per field: the winning value (JSON) and the
-- hybrid logical clock stamp of the edit that wrote it.
CREATE TABLE fields (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    hlc_wall    INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    hlc_device  TEXT NOT NULL,
    PRIMARY KEY (kind, id, field)
) STRICT, WITHOUT ROWID;

-- Where each mutable record sits now.
CREATE TABLE records (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    loc_system  TEXT,
    loc_unit    TEXT,
    loc_branch  TEXT,
    loc_village TEXT,
    PRIMARY KEY (kind, id)
) STRICT, WITHOUT ROWID;

-- Values that lost a last-writer-wins merge to a concurrent edit: hidden
-- from the record, kept for the office. `winner` and `loser` are the JSON
-- of core's FieldVersion (value + stamp).
CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    winner      TEXT NOT NULL,
    loser       TEXT NOT NULL,
    device      TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
