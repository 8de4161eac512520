-- Segments: a provider's saved, named filters over persons and journeys (the core's
-- SegmentRules as a JSON document). Names are unique per provider.
CREATE TABLE segments (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    name TEXT NOT NULL,
    rules TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX segments_name ON segments (provider_id, name);
