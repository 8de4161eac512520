-- Touchpoints a provider must keep by law when a person erases everything: apart
-- from the records and the figures, with the kind, when it happened, its properties,
-- the reason the person reads and until when; the purge drops them after that.
CREATE TABLE held_back (
    account_id BLOB NOT NULL REFERENCES accounts(id),
    provider_id BLOB NOT NULL REFERENCES providers(id),
    kind TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    properties TEXT NOT NULL,
    reason TEXT NOT NULL,
    until INTEGER NOT NULL
);
CREATE INDEX held_back_account ON held_back (account_id);
CREATE INDEX held_back_until ON held_back (provider_id, until);
ALTER TABLE erasures ADD COLUMN held_back INTEGER NOT NULL DEFAULT 0;
