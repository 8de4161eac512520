-- Rectification requests: what a person says a provider holds wrongly and what is
-- right, routed to that provider, with its answer (done or declined, and a note).
CREATE TABLE rectifications (
    id BLOB PRIMARY KEY,
    account_id BLOB NOT NULL REFERENCES accounts(id),
    provider_id BLOB NOT NULL REFERENCES providers(id),
    wrong TEXT NOT NULL,
    correction TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    outcome TEXT,
    note TEXT,
    answered_at INTEGER
);
CREATE INDEX rectifications_account ON rectifications (account_id, requested_at);
CREATE INDEX rectifications_provider ON rectifications (provider_id, requested_at);
