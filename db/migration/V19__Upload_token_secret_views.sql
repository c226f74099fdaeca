-- A new upload token's secret is shown once, on the page the token form redirects to (POST, redirect, GET), so that a
-- reload, the back button or a bookmark never issues another token. The redirect carries a random handle; the portal
-- keeps only the handle's SHA-256 and the secret sealed with a key derived from the handle (AES-GCM), so the database
-- alone does not reveal it. The first view deletes the row; a row is good for 5 minutes, for the admin who issued the
-- token. Any portal instance can answer the redirect.
CREATE TABLE token_secret_view (
    handle_hash bytea       PRIMARY KEY,
    token_id    bigint      NOT NULL REFERENCES upload_token (id) ON DELETE CASCADE,
    viewer      text        NOT NULL,
    sealed      bytea       NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX token_secret_view_expires_idx ON token_secret_view (expires_at);
