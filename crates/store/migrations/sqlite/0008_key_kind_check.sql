-- A key's kind is one the program knows, or the row cannot exist: an unknown kind
-- must never be read as some kind of access. SQLite adds a CHECK only by rebuilding
-- the table. A stored row of another kind stops this migration (and the start),
-- rather than being guessed at.
CREATE TABLE api_keys_v2 (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    label TEXT NOT NULL,
    token_sha256 BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    kind TEXT NOT NULL DEFAULT 'secret' CHECK (kind IN ('secret', 'publishable')),
    origins TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO api_keys_v2 (id, provider_id, label, token_sha256, created_at, revoked_at, kind, origins)
    SELECT id, provider_id, label, token_sha256, created_at, revoked_at, kind, origins FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_v2 RENAME TO api_keys;
