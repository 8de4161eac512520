-- Identity resolution (issue 12). An identifier may be carried by several profiles of
-- a provider: the identity engine, not the table, decides whom it joins. A person's id
-- is its smallest profile's id, so every profile starts as a person of its own; the
-- decisions people make about two profiles and the merge history are kept; and the
-- identifiers a person verified are the only bridge between providers.
CREATE TABLE identifiers_v2 (
    provider_id BLOB NOT NULL REFERENCES providers(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    profile_id BLOB NOT NULL REFERENCES profiles(id),
    PRIMARY KEY (provider_id, kind, value, profile_id)
) WITHOUT ROWID;
INSERT INTO identifiers_v2 (provider_id, kind, value, profile_id)
    SELECT provider_id, kind, value, profile_id FROM identifiers;
DROP TABLE identifiers;
ALTER TABLE identifiers_v2 RENAME TO identifiers;
CREATE INDEX identifiers_profile ON identifiers (profile_id);

INSERT OR IGNORE INTO persons (id, created_at) SELECT id, created_at FROM profiles;
UPDATE profiles SET person_id = id;
DELETE FROM persons WHERE id NOT IN (SELECT person_id FROM profiles);

-- The latest decision about a pair, a < b: same (1) or apart (0).
CREATE TABLE identity_decisions (
    provider_id BLOB NOT NULL REFERENCES providers(id),
    a BLOB NOT NULL REFERENCES profiles(id),
    b BLOB NOT NULL REFERENCES profiles(id),
    same INTEGER NOT NULL,
    decided_by BLOB,
    decided_at INTEGER NOT NULL,
    PRIMARY KEY (provider_id, a, b)
);
CREATE INDEX identity_decisions_b ON identity_decisions (provider_id, b);

-- Every merge and split, with its evidence (JSON), naming two profiles, a < b.
CREATE TABLE identity_events (
    seq INTEGER PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    a BLOB NOT NULL,
    b BLOB NOT NULL,
    at INTEGER NOT NULL,
    change TEXT NOT NULL
);
CREATE INDEX identity_events_a ON identity_events (provider_id, a);
CREATE INDEX identity_events_b ON identity_events (provider_id, b);

CREATE TABLE verified_identifiers (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    verified_at INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
);

-- Who is who in truth (the demo's, or a provider's labelled sample), to score
-- persons against.
CREATE TABLE identity_truth (
    profile_id BLOB PRIMARY KEY REFERENCES profiles(id),
    provider_id BLOB NOT NULL REFERENCES providers(id),
    human INTEGER NOT NULL
);
CREATE INDEX identity_truth_provider ON identity_truth (provider_id);
