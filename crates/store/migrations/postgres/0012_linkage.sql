-- Probabilistic record linkage (issue 12): each provider's trained model (JSON, so
-- the same model rebuilds the same persons), and the pairs it scored: links, which
-- join like an identifier, and pairs in the review band, which wait for a person.
CREATE TABLE linkage_models (
    provider_id uuid PRIMARY KEY REFERENCES providers(id),
    model jsonb NOT NULL,
    trained_at timestamptz NOT NULL
);

-- a < b; fields: the field-by-field evidence (JSON).
CREATE TABLE linkage_pairs (
    provider_id uuid NOT NULL REFERENCES providers(id),
    a uuid NOT NULL REFERENCES profiles(id),
    b uuid NOT NULL REFERENCES profiles(id),
    review boolean NOT NULL,
    probability double precision NOT NULL,
    fields jsonb NOT NULL,
    PRIMARY KEY (provider_id, a, b)
);
CREATE INDEX linkage_pairs_b ON linkage_pairs (provider_id, b);
CREATE INDEX linkage_pairs_review ON linkage_pairs (provider_id, review, probability);

-- Each linked profile's blocking keys under its provider's model, so a profile that
-- arrives later is compared with those sharing a key, not with everyone.
CREATE TABLE linkage_keys (
    provider_id uuid NOT NULL REFERENCES providers(id),
    key text NOT NULL,
    profile_id uuid NOT NULL REFERENCES profiles(id),
    PRIMARY KEY (provider_id, key, profile_id)
);

-- Profiles with names or addresses that arrived since the provider was last linked.
CREATE TABLE linkage_pending (
    profile_id uuid PRIMARY KEY REFERENCES profiles(id),
    provider_id uuid NOT NULL REFERENCES providers(id)
);
CREATE INDEX linkage_pending_provider ON linkage_pending (provider_id);

-- What a touchpoint's source knew of the person, merged into the profile it lands on.
ALTER TABLE touchpoints ADD COLUMN attributes jsonb;
