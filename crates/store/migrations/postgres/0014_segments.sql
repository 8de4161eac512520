-- Segments: a provider's saved, named filters over persons and journeys (the core's
-- SegmentRules as a JSON document). Names are unique per provider.
CREATE TABLE segments (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    name text NOT NULL,
    rules jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX segments_name ON segments (provider_id, name);
