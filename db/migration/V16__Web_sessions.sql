-- Signed-in browser sessions, kept on the server: the portal's session cookie holds only a random handle, and this
-- table the tokens of the sign-in provider that belong to it. Only a hash of the handle is stored, so a copy of the
-- table cannot be turned into cookies. Signing out, an admin's revocation and the session bounds (idle time, total
-- length) delete the row, and with it the session: a saved cookie no longer signs anyone in.
CREATE TABLE web_session (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- SHA-256 of the cookie's handle, hex
    handle_hash   text        NOT NULL UNIQUE,
    user_name     text        NOT NULL,
    id_token      text        NOT NULL,
    access_token  text,
    refresh_token text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now(),
    address       text
);

CREATE INDEX web_session_user ON web_session (user_name);
CREATE INDEX web_session_last_seen ON web_session (last_seen);
