-- A person signs in with a one-time code sent to an identifier they own. One live
-- code per identifier (a new one replaces it), kept as SHA-256, with its tries left.
-- A right code verifies the identifier (joining it to the person's account) and
-- opens a person session, kept apart from provider users' sessions.
CREATE TABLE sign_in_codes (
    kind text NOT NULL,
    value text NOT NULL,
    code_sha256 bytea NOT NULL,
    expires_at timestamptz NOT NULL,
    tries_left integer NOT NULL,
    PRIMARY KEY (kind, value)
);

CREATE TABLE person_sessions (
    token_sha256 bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts(id),
    expires_at timestamptz NOT NULL
);
