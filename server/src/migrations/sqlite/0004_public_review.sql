-- 0004: the public review page's anti-stuffing bookkeeping (server/src/review/).
-- Reviews themselves are ordinary facts in `changes` / `facts`.

-- One row per review accepted from the page. `client_key` is an HMAC (keyed
-- with the server's review secret in server_meta) of the client's network
-- address, the post and the local date: it answers "did this client review
-- this post today?" without storing the address, and cannot be reversed by
-- trying every address without the secret. `at_ms` (Unix milliseconds)
-- serves the per-post hourly cap; rows older than two days are deleted.
CREATE TABLE public_review_limits (
    client_key BLOB PRIMARY KEY NOT NULL,
    post       TEXT NOT NULL,
    at_ms      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX public_review_limits_post ON public_review_limits (post, at_ms);
