-- 0001: the server's own bookkeeping. Sync tables come in later migrations.
-- Never edit a migration that has shipped: add a new file instead.

CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- A random id for this server instance and when its database was created
-- (UTC, RFC 3339). Both are written once, here, and never change.
INSERT INTO server_meta (key, value) VALUES
    ('server_id', lower(hex(randomblob(16)))),
    ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
