-- Times are microseconds since 1970 UTC; ids are UUID blobs.
CREATE TABLE providers (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    country TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    label TEXT NOT NULL,
    token_sha256 BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE users (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_sha256 BLOB PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL
);

CREATE TABLE channels (
    provider_id BLOB NOT NULL REFERENCES providers(id),
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    controlled INTEGER NOT NULL,
    PRIMARY KEY (provider_id, key)
);

CREATE TABLE persons (
    id BLOB PRIMARY KEY,
    created_at INTEGER NOT NULL
);

CREATE TABLE profiles (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    person_id BLOB NOT NULL REFERENCES persons(id),
    display_name TEXT,
    attributes TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX profiles_provider ON profiles (provider_id, id);
CREATE INDEX profiles_person ON profiles (person_id);

CREATE TABLE identifiers (
    provider_id BLOB NOT NULL REFERENCES providers(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    profile_id BLOB NOT NULL REFERENCES profiles(id),
    PRIMARY KEY (provider_id, kind, value)
);
CREATE INDEX identifiers_profile ON identifiers (profile_id);

CREATE TABLE touchpoints (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    profile_id BLOB NOT NULL REFERENCES profiles(id),
    event_id TEXT,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    initiator TEXT NOT NULL,
    setting TEXT,
    phase TEXT,
    properties TEXT NOT NULL
);
CREATE INDEX touchpoints_provider ON touchpoints (provider_id, id);
CREATE INDEX touchpoints_profile ON touchpoints (profile_id, id);
CREATE UNIQUE INDEX touchpoints_event ON touchpoints (provider_id, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE networks (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    shares TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE network_members (
    network_id BLOB NOT NULL REFERENCES networks(id),
    provider_id BLOB NOT NULL REFERENCES providers(id),
    PRIMARY KEY (network_id, provider_id)
);

CREATE TABLE access_log (
    seq INTEGER PRIMARY KEY,
    provider_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    profile_id BLOB,
    action TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX access_log_person ON access_log (person_id, seq);
