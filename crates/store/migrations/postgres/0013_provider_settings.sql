-- Settings a provider keeps as one JSON document each, by name: `event_names` (the
-- tracking protocol's table from `track` names to kinds) and `journeys` (anchors and
-- windows). A provider without a row has the defaults.
CREATE TABLE provider_settings (
    provider_id uuid NOT NULL REFERENCES providers(id),
    name text NOT NULL,
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (provider_id, name)
);
