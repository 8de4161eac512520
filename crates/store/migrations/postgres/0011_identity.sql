-- Identity resolution (issue 12). An identifier may be carried by several profiles of
-- a provider: the identity engine, not the table, decides whom it joins. A person's id
-- is its smallest profile's id, so every profile starts as a person of its own; the
-- decisions people make about two profiles and the merge history are kept; and the
-- identifiers a person verified are the only bridge between providers.
ALTER TABLE identifiers DROP CONSTRAINT identifiers_pkey;
ALTER TABLE identifiers ADD PRIMARY KEY (provider_id, kind, value, profile_id);

INSERT INTO persons (id, created_at) SELECT id, created_at FROM profiles ON CONFLICT DO NOTHING;
UPDATE profiles SET person_id = id WHERE person_id <> id;
DELETE FROM persons p WHERE NOT EXISTS (SELECT 1 FROM profiles f WHERE f.person_id = p.id);

-- The latest decision about a pair, a < b.
CREATE TABLE identity_decisions (
    provider_id uuid NOT NULL REFERENCES providers(id),
    a uuid NOT NULL REFERENCES profiles(id),
    b uuid NOT NULL REFERENCES profiles(id),
    same boolean NOT NULL,
    decided_by uuid,
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (provider_id, a, b)
);
CREATE INDEX identity_decisions_b ON identity_decisions (provider_id, b);

-- Every merge and split, with its evidence, naming two profiles, a < b.
CREATE TABLE identity_events (
    seq bigserial PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    a uuid NOT NULL,
    b uuid NOT NULL,
    at timestamptz NOT NULL,
    change jsonb NOT NULL
);
CREATE INDEX identity_events_a ON identity_events (provider_id, a);
CREATE INDEX identity_events_b ON identity_events (provider_id, b);

CREATE TABLE verified_identifiers (
    kind text NOT NULL,
    value text NOT NULL,
    verified_at timestamptz NOT NULL,
    PRIMARY KEY (kind, value)
);

-- Who is who in truth (the demo's, or a provider's labelled sample), to score
-- persons against.
CREATE TABLE identity_truth (
    profile_id uuid PRIMARY KEY REFERENCES profiles(id),
    provider_id uuid NOT NULL REFERENCES providers(id),
    human bigint NOT NULL
);
CREATE INDEX identity_truth_provider ON identity_truth (provider_id);
