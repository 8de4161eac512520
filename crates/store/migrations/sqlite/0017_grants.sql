-- Sharing grants: a person lets a reader provider read some categories of what a
-- holder provider keeps about them, for one purpose, until an instant. Revoking
-- keeps the row (the person's history of what they shared) and stops reads at once.
CREATE TABLE grants (
    id BLOB PRIMARY KEY,
    account_id BLOB NOT NULL REFERENCES accounts(id),
    holder_id BLOB NOT NULL REFERENCES providers(id),
    reader_id BLOB NOT NULL REFERENCES providers(id),
    categories TEXT NOT NULL,
    purpose TEXT NOT NULL,
    until INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX grants_account ON grants (account_id, reader_id);
