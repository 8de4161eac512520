-- Coding of open survey answers. A provider's codebook is one document (the core's
-- Codebook) with a version, so two edits never overwrite each other; a provider
-- without a row uses the default (the value landscape). Codings are rows: a span of
-- one open-text answer (character offsets, end exclusive), a code key and a coder.
CREATE TABLE codebooks (
    provider_id BLOB PRIMARY KEY REFERENCES providers(id),
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE codings (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    survey_id BLOB NOT NULL REFERENCES surveys(id),
    response_id BLOB NOT NULL REFERENCES survey_responses(id),
    question TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    code TEXT NOT NULL,
    coder TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX codings_survey ON codings (provider_id, survey_id, id);
CREATE INDEX codings_code ON codings (provider_id, code);
