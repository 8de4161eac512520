-- The Segment-compatible tracking protocol (issue 14): each provider's table from
-- `track` event names to touchpoint kinds, and its default channel (JSON, one row
-- per provider; a provider without a row has the empty table).
CREATE TABLE event_names (
    provider_id uuid PRIMARY KEY REFERENCES providers(id),
    names jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
