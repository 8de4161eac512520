-- Provider staff. An invitation or a password reset is a single-use link, kept as
-- SHA-256 until it is used or expires. The audit log keeps what staff did; its rows
-- outlive the users they name, so it has no foreign key to them. A user's
-- two-factor secret is null until they enrol.
CREATE TABLE invitations (
    token_sha256 BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX invitations_by_email ON invitations (email);

CREATE TABLE password_resets (
    token_sha256 BLOB PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

CREATE TABLE staff_audit (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    user_id BLOB,
    email TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX staff_audit_by_provider ON staff_audit (provider_id, id);

ALTER TABLE users ADD COLUMN totp_secret BLOB;
CREATE INDEX users_by_provider ON users (provider_id);
