-- A person signs in with a one-time code sent to an identifier they own. One live
-- code per identifier (a new one replaces it), kept as SHA-256, with its tries left.
-- A right code verifies the identifier (joining it to the person's account) and
-- opens a person session, kept apart from provider users' sessions.
CREATE TABLE sign_in_codes (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    code_sha256 BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    tries_left INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;

CREATE TABLE person_sessions (
    token_sha256 BLOB PRIMARY KEY,
    account_id BLOB NOT NULL REFERENCES accounts(id),
    expires_at INTEGER NOT NULL
);
