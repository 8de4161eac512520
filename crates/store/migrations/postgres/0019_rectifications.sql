-- Rectification requests: what a person says a provider holds wrongly and what is
-- right, routed to that provider, with its answer (done or declined, and a note).
CREATE TABLE rectifications (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts(id),
    provider_id uuid NOT NULL REFERENCES providers(id),
    wrong text NOT NULL,
    correction text NOT NULL,
    requested_at timestamptz NOT NULL,
    outcome text,
    note text,
    answered_at timestamptz
);
CREATE INDEX rectifications_account ON rectifications (account_id, requested_at);
CREATE INDEX rectifications_provider ON rectifications (provider_id, requested_at);
