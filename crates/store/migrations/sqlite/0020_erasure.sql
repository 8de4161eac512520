-- Erasure: a person's records at every provider are deleted; what stays is a keyed
-- hash (HMAC with a server secret) of each identifier they carried, per provider, so
-- that a later import of the same identifiers is refused, and what was erased where.
CREATE TABLE tombstones (
    provider_id BLOB NOT NULL REFERENCES providers(id),
    hash BLOB NOT NULL,
    PRIMARY KEY (provider_id, hash)
) WITHOUT ROWID;

CREATE TABLE erasures (
    account_id BLOB NOT NULL REFERENCES accounts(id),
    provider_id BLOB NOT NULL REFERENCES providers(id),
    at INTEGER NOT NULL,
    records INTEGER NOT NULL,
    touchpoints INTEGER NOT NULL,
    responses INTEGER NOT NULL
);
CREATE INDEX erasures_account ON erasures (account_id, at);

-- Erasure deletes a profile's contacts by the profile.
CREATE INDEX contacts_profile ON contacts (profile_id);
CREATE INDEX linkage_keys_profile ON linkage_keys (profile_id);
