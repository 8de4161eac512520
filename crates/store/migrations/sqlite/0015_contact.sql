-- The person's own side of contact. An account is a person's own: the identifiers
-- they verified belong to it, and through them their persons at every provider.
-- Consent is kept per purpose: imported by a provider per profile, or chosen by the
-- person per provider (which wins). Contacts are the allowed ones, held until sent
-- or lapsed; the budget counts them per account (or per provider's person when the
-- person has no account) over any seven days.
CREATE TABLE accounts (
    id BLOB PRIMARY KEY,
    created_at INTEGER NOT NULL,
    preferences TEXT
);
ALTER TABLE verified_identifiers ADD COLUMN account_id BLOB REFERENCES accounts(id);
CREATE INDEX verified_identifiers_account ON verified_identifiers (account_id);

CREATE TABLE imported_consents (
    profile_id BLOB NOT NULL REFERENCES profiles(id),
    purpose TEXT NOT NULL,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    given INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (profile_id, purpose)
) WITHOUT ROWID;

CREATE TABLE own_consents (
    account_id BLOB NOT NULL REFERENCES accounts(id),
    provider_id BLOB NOT NULL REFERENCES providers(id),
    purpose TEXT NOT NULL,
    given INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (account_id, provider_id, purpose)
) WITHOUT ROWID;

CREATE TABLE contacts (
    id BLOB PRIMARY KEY,
    budget_key BLOB NOT NULL,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    profile_id BLOB NOT NULL REFERENCES profiles(id),
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    counts INTEGER NOT NULL,
    decided_at INTEGER NOT NULL,
    held_until INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX contacts_budget ON contacts (budget_key, decided_at);
