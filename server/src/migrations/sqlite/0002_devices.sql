-- 0002: enrolled devices and enrollment codes.
-- Secrets (device tokens, enrollment codes) are stored only as SHA-256
-- hashes: a copy of this file lets nobody act as a device or enroll one.

-- One row per enrolled phone or browser. `role` is office | inspector |
-- cadre; `scope` is the JSON of xianfeng_core::scope::Scope. `name` is the
-- person the invite was made for, `device_name` what they called the phone.
-- `last_seq` is the last change number of this device that sync processed.
CREATE TABLE devices (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    device_name TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL CHECK (role IN ('office', 'inspector', 'cadre')),
    scope       TEXT NOT NULL,
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    last_seq    INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
) STRICT;

-- One-time codes: the office administrator's (purpose 'admin', printed at
-- start while no office device exists) and invites (purpose 'invite',
-- made by the office, valid 7 days). A code is used once: `used_at` and
-- `used_by` (the device id) are set in the transaction that enrolls it.
CREATE TABLE enrollment_codes (
    code_hash  BLOB PRIMARY KEY NOT NULL,
    purpose    TEXT NOT NULL CHECK (purpose IN ('admin', 'invite')),
    role       TEXT NOT NULL CHECK (role IN ('office', 'inspector', 'cadre')),
    scope      TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    used_at    TEXT,
    used_by    TEXT
) STRICT;
