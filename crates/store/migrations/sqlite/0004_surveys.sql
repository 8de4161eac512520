-- Surveys: the definition is stored whole (the core's Survey); responses are rows
-- holding their answers, replaced while they are partial saves.
CREATE TABLE surveys (
    id BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers(id),
    definition TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX surveys_provider ON surveys (provider_id, id);

CREATE TABLE survey_responses (
    id BLOB PRIMARY KEY,
    survey_id BLOB NOT NULL REFERENCES surveys(id),
    provider_id BLOB NOT NULL REFERENCES providers(id),
    document TEXT NOT NULL,
    completed INTEGER NOT NULL,
    submitted_at INTEGER NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);
