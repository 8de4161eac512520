-- Sharing grants: a person lets a reader provider read some categories of what a
-- holder provider keeps about them, for one purpose, until an instant. Revoking
-- keeps the row (the person's history of what they shared) and stops reads at once.
CREATE TABLE grants (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts(id),
    holder_id uuid NOT NULL REFERENCES providers(id),
    reader_id uuid NOT NULL REFERENCES providers(id),
    categories text NOT NULL,
    purpose text NOT NULL,
    until timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX grants_account ON grants (account_id, reader_id);
