-- Touchpoints a provider must keep by law when a person erases everything: apart
-- from the records and the figures, with the kind, when it happened, its properties,
-- the reason the person reads and until when; the purge drops them after that.
CREATE TABLE held_back (
    account_id uuid NOT NULL REFERENCES accounts(id),
    provider_id uuid NOT NULL REFERENCES providers(id),
    kind text NOT NULL,
    occurred_at timestamptz NOT NULL,
    properties jsonb NOT NULL,
    reason text NOT NULL,
    until timestamptz NOT NULL
);
CREATE INDEX held_back_account ON held_back (account_id);
CREATE INDEX held_back_until ON held_back (provider_id, until);
ALTER TABLE erasures ADD COLUMN held_back bigint NOT NULL DEFAULT 0;
