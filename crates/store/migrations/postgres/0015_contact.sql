-- The person's own side of contact. An account is a person's own: the identifiers
-- they verified belong to it, and through them their persons at every provider.
-- Consent is kept per purpose: imported by a provider per profile, or chosen by the
-- person per provider (which wins). Contacts are the allowed ones, held until sent
-- or lapsed; the budget counts them per account (or per provider's person when the
-- person has no account) over any seven days.
CREATE TABLE accounts (
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL,
    preferences jsonb
);
ALTER TABLE verified_identifiers ADD COLUMN account_id uuid REFERENCES accounts(id);
CREATE INDEX verified_identifiers_account ON verified_identifiers (account_id);

CREATE TABLE imported_consents (
    profile_id uuid NOT NULL REFERENCES profiles(id),
    purpose text NOT NULL,
    provider_id uuid NOT NULL REFERENCES providers(id),
    given boolean NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (profile_id, purpose)
);

CREATE TABLE own_consents (
    account_id uuid NOT NULL REFERENCES accounts(id),
    provider_id uuid NOT NULL REFERENCES providers(id),
    purpose text NOT NULL,
    given boolean NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (account_id, provider_id, purpose)
);

CREATE TABLE contacts (
    id uuid PRIMARY KEY,
    budget_key uuid NOT NULL,
    provider_id uuid NOT NULL REFERENCES providers(id),
    profile_id uuid NOT NULL REFERENCES profiles(id),
    channel text NOT NULL,
    purpose text NOT NULL,
    counts boolean NOT NULL,
    decided_at timestamptz NOT NULL,
    held_until timestamptz NOT NULL,
    sent_at timestamptz
);
CREATE INDEX contacts_budget ON contacts (budget_key, decided_at);
