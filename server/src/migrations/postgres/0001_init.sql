-- The PostgreSQL schema: the same tables as SQLite's migrations 0001-0005
-- (see ../sqlite/ for what each column means), in one file. Never edit a
-- migration that has shipped: add a new file instead.

CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
INSERT INTO server_meta (key, value) VALUES
    ('server_id', replace(gen_random_uuid()::text, '-', '')),
    ('created_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));

CREATE TABLE devices (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    device_name TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL CHECK (role IN ('office', 'inspector', 'cadre')),
    scope       TEXT NOT NULL,
    token_hash  BYTEA NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    last_seq    BIGINT NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
);

CREATE TABLE enrollment_codes (
    code_hash  BYTEA PRIMARY KEY NOT NULL,
    purpose    TEXT NOT NULL CHECK (purpose IN ('admin', 'invite')),
    role       TEXT NOT NULL CHECK (role IN ('office', 'inspector', 'cadre')),
    scope      TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    used_at    TEXT,
    used_by    TEXT
);

-- The head of the log: `seq` is the last server_seq handed out. Every
-- write locks this row first (SELECT ... FOR UPDATE) and numbers its log
-- rows from it, so numbers are assigned in commit order and a pull paging
-- by server_seq never passes an uncommitted one (ARCHITECTURE.md, "The
-- pull cursor"). `org_version` moves when org records change.
CREATE TABLE sync_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    seq         BIGINT NOT NULL DEFAULT 0,
    org_version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO sync_head (id, seq, org_version) VALUES (1, 0, 0);

CREATE TABLE changes (
    server_seq  BIGINT PRIMARY KEY,
    device      TEXT NOT NULL,
    device_seq  BIGINT,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    loc_system  TEXT,
    loc_unit    TEXT,
    loc_branch  TEXT,
    loc_village TEXT,
    UNIQUE (device, device_seq)
);

CREATE TABLE facts (
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    canonical  TEXT NOT NULL,
    server_seq BIGINT NOT NULL REFERENCES changes (server_seq),
    PRIMARY KEY (kind, id)
);

CREATE TABLE fields (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    hlc_wall    BIGINT NOT NULL,
    hlc_counter BIGINT NOT NULL,
    hlc_device  TEXT NOT NULL,
    PRIMARY KEY (kind, id, field)
);

CREATE TABLE records (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    loc_system  TEXT,
    loc_unit    TEXT,
    loc_branch  TEXT,
    loc_village TEXT,
    PRIMARY KEY (kind, id)
);

CREATE TABLE conflicts (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    winner      TEXT NOT NULL,
    loser       TEXT NOT NULL,
    device      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE public_review_limits (
    client_key BYTEA PRIMARY KEY NOT NULL,
    post       TEXT NOT NULL,
    at_ms      BIGINT NOT NULL
);
CREATE INDEX public_review_limits_post ON public_review_limits (post, at_ms);
