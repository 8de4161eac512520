-- The schema of migrations/sqlite/0006_coding.sql in PostgreSQL's own types.
-- Coding of open survey answers. A provider's codebook is one document (the core's
-- Codebook) with a version, so two edits never overwrite each other; a provider
-- without a row uses the default (the value landscape). Codings are rows: a span of
-- one open-text answer (character offsets, end exclusive), a code key and a coder.
CREATE TABLE codebooks (
    provider_id uuid PRIMARY KEY REFERENCES providers(id),
    version bigint NOT NULL,
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE codings (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    survey_id uuid NOT NULL REFERENCES surveys(id),
    response_id uuid NOT NULL REFERENCES survey_responses(id),
    question text NOT NULL,
    start_at integer NOT NULL,
    end_at integer NOT NULL,
    code text NOT NULL,
    coder text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX codings_survey ON codings (provider_id, survey_id, id);
CREATE INDEX codings_code ON codings (provider_id, code);
