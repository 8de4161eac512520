-- Ingestion: touchpoints may wait for identity resolution (profile_id NULL, their
-- identifiers kept until then) and carry tracking-plan flags; publishable keys;
-- tracking plans; the quarantine of rejected events. The table is clustered on its
-- time-ordered id, and waiting rows enter the profile index only once placed, so an
-- arriving event touches as few b-trees as it can.
CREATE TABLE touchpoints_v2 (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
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
    flags TEXT
) WITHOUT ROWID;
INSERT INTO touchpoints_v2 (id, provider_id, profile_id, event_id, channel, kind, occurred_at, received_at,
                            initiator, setting, phase, properties)
    SELECT id, provider_id, profile_id, event_id, channel, kind, occurred_at, received_at,
           initiator, setting, phase, properties FROM touchpoints;
DROP TABLE touchpoints;
ALTER TABLE touchpoints_v2 RENAME TO touchpoints;
CREATE INDEX touchpoints_provider ON touchpoints (provider_id, id);
CREATE INDEX touchpoints_profile ON touchpoints (profile_id, id) WHERE profile_id IS NOT NULL;
CREATE UNIQUE INDEX touchpoints_event ON touchpoints (provider_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX touchpoints_pending ON touchpoints (id) WHERE profile_id IS NULL;

ALTER TABLE api_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'secret';
ALTER TABLE api_keys ADD COLUMN origins TEXT NOT NULL DEFAULT '[]';

CREATE TABLE tracking_plans (
    provider_id BLOB PRIMARY KEY REFERENCES providers(id),
    plan TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE quarantine (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    received_at INTEGER NOT NULL,
    source TEXT NOT NULL,
    raw TEXT NOT NULL,
    errors TEXT NOT NULL
);
CREATE INDEX quarantine_provider ON quarantine (provider_id, id);
