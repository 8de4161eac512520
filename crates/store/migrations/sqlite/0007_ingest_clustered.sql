-- Ingestion at speed: touchpoints are clustered by provider and time-ordered id, so
-- a provider's touchpoints lie together and no separate provider index is kept. A
-- waiting touchpoint no longer enters an index of its own: each committed batch of
-- waiting rows leaves one row in waiting_batches (the id range it wrote), and the
-- resolver places the rows in that range. An arriving event so touches two b-trees:
-- the table and the event-id index.
CREATE TABLE touchpoints_v3 (
    provider_id BLOB NOT NULL REFERENCES providers(id),
    id BLOB NOT NULL,
    profile_id BLOB REFERENCES profiles(id),
    identifiers TEXT,
    event_id TEXT,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    initiator TEXT NOT NULL,
    setting TEXT,
    phase TEXT,
    properties TEXT NOT NULL,
    flags TEXT,
    PRIMARY KEY (provider_id, id)
) WITHOUT ROWID;
INSERT INTO touchpoints_v3 (provider_id, id, profile_id, identifiers, event_id, channel, kind, occurred_at,
                            received_at, initiator, setting, phase, properties, flags)
    SELECT provider_id, id, profile_id, identifiers, event_id, channel, kind, occurred_at,
           received_at, initiator, setting, phase, properties, flags FROM touchpoints;
DROP TABLE touchpoints;
ALTER TABLE touchpoints_v3 RENAME TO touchpoints;
CREATE INDEX touchpoints_profile ON touchpoints (profile_id, id) WHERE profile_id IS NOT NULL;
CREATE UNIQUE INDEX touchpoints_event ON touchpoints (provider_id, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE waiting_batches (
    seq INTEGER PRIMARY KEY,
    provider_id BLOB NOT NULL,
    first_id BLOB NOT NULL,
    last_id BLOB NOT NULL
);
INSERT INTO waiting_batches (provider_id, first_id, last_id)
    SELECT provider_id, MIN(id), MAX(id) FROM touchpoints WHERE profile_id IS NULL GROUP BY provider_id;
