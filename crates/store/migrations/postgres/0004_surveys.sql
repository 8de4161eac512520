-- The schema of migrations/sqlite/0004_surveys.sql in PostgreSQL's own types.
-- Surveys: the definition is stored whole (the core's Survey); responses are rows
-- holding their answers, replaced while they are partial saves.
CREATE TABLE surveys (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers(id),
    definition jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX surveys_provider ON surveys (provider_id, id);

CREATE TABLE survey_responses (
    id uuid PRIMARY KEY,
    survey_id uuid NOT NULL REFERENCES surveys(id),
    provider_id uuid NOT NULL REFERENCES providers(id),
    document jsonb NOT NULL,
    completed boolean NOT NULL,
    submitted_at timestamptz NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);
