-- The schema of migrations/sqlite/0002_ingestion.sql in PostgreSQL's own types.
-- Ingestion: touchpoints may wait for identity resolution (profile_id NULL, their
-- identifiers kept until then) and carry tracking-plan flags; publishable keys;
-- tracking plans; the quarantine of rejected events.
ALTER TABLE touchpoints ALTER COLUMN profile_id DROP NOT NULL;
ALTER TABLE touchpoints ADD COLUMN identifiers jsonb;
ALTER TABLE touchpoints ADD COLUMN flags jsonb;
-- A touchpoint is placed on a profile or waits with the identifiers that will place it.
-- NOT VALID: every earlier row has a profile, so there is nothing to scan for.
ALTER TABLE touchpoints ADD CONSTRAINT touchpoints_placed_or_waiting
    CHECK (profile_id IS NOT NULL OR identifiers IS NOT NULL) NOT VALID;
CREATE INDEX touchpoints_pending ON touchpoints (id) WHERE profile_id IS NULL;

ALTER TABLE api_keys ADD COLUMN kind text NOT NULL DEFAULT 'secret';
ALTER TABLE api_keys ADD COLUMN origins jsonb NOT NULL DEFAULT '[]';

CREATE TABLE tracking_plans (
    provider_id uuid PRIMARY KEY REFERENCES providers(id),
    plan jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE quarantine (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    received_at timestamptz NOT NULL,
    source text NOT NULL,
    raw text NOT NULL,
    errors jsonb NOT NULL
);
CREATE INDEX quarantine_provider ON quarantine (provider_id, id);
