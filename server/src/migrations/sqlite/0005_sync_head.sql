-- 0005: the version of the org directory (units, branches, members,
-- inspection groups), bumped by every write that changes one of them, so
-- a server's in-memory directory knows when it is stale (see
-- server/src/sync/org.rs). One row.
CREATE TABLE sync_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    org_version INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sync_head (id, org_version) VALUES (1, 0);
