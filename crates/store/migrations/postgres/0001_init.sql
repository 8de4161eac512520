-- The schema of migrations/sqlite/0001_init.sql in PostgreSQL's own types: uuid ids,
-- timestamptz times (microseconds, as SQLite stores them), jsonb objects, bytea hashes.
-- Text that rows are ordered by is COLLATE "C": byte order, as SQLite compares text, so
-- both backends list rows in the same order whatever locale the database was made with.
CREATE TABLE providers (
    id uuid PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    time_zone text NOT NULL,
    country text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE api_keys (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    label text NOT NULL,
    token_sha256 bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

CREATE TABLE users (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    email text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
    token_sha256 bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id),
    expires_at timestamptz NOT NULL
);

CREATE TABLE channels (
    provider_id uuid NOT NULL REFERENCES providers(id),
    key text COLLATE "C" NOT NULL,
    name text NOT NULL,
    controlled boolean NOT NULL,
    PRIMARY KEY (provider_id, key)
);

CREATE TABLE persons (
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL
);

CREATE TABLE profiles (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    person_id uuid NOT NULL REFERENCES persons(id),
    display_name text,
    attributes jsonb NOT NULL CHECK (jsonb_typeof(attributes) = 'object'),
    created_at timestamptz NOT NULL
);
CREATE INDEX profiles_provider ON profiles (provider_id, id);
CREATE INDEX profiles_person ON profiles (person_id);

CREATE TABLE identifiers (
    provider_id uuid NOT NULL REFERENCES providers(id),
    kind text COLLATE "C" NOT NULL,
    value text COLLATE "C" NOT NULL,
    profile_id uuid NOT NULL REFERENCES profiles(id),
    PRIMARY KEY (provider_id, kind, value)
);
CREATE INDEX identifiers_profile ON identifiers (profile_id);

CREATE TABLE touchpoints (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    profile_id uuid NOT NULL REFERENCES profiles(id),
    event_id text,
    channel text COLLATE "C" NOT NULL,
    kind text NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    initiator text NOT NULL,
    setting text,
    phase text COLLATE "C",
    properties jsonb NOT NULL CHECK (jsonb_typeof(properties) = 'object')
);
CREATE INDEX touchpoints_provider ON touchpoints (provider_id, id);
CREATE INDEX touchpoints_profile ON touchpoints (profile_id, id);
CREATE UNIQUE INDEX touchpoints_event ON touchpoints (provider_id, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE networks (
    id uuid PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    shares jsonb NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE network_members (
    network_id uuid NOT NULL REFERENCES networks(id),
    provider_id uuid NOT NULL REFERENCES providers(id),
    PRIMARY KEY (network_id, provider_id)
);

CREATE TABLE access_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id uuid NOT NULL,
    person_id uuid NOT NULL,
    profile_id uuid,
    action text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX access_log_person ON access_log (person_id, seq);
