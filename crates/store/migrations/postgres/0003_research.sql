-- The schema of migrations/sqlite/0003_research.sql in PostgreSQL's own types.
-- Research projects are stored whole, as the engine's export document, with a
-- version that every save must name (optimistic concurrency: two edits never
-- silently overwrite each other). Guests are other providers invited to a project.
CREATE TABLE projects (
    id uuid PRIMARY KEY,
    owner uuid NOT NULL REFERENCES providers(id),
    version bigint NOT NULL,
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX projects_owner ON projects (owner, id);

CREATE TABLE project_guests (
    project_id uuid NOT NULL REFERENCES projects(id),
    provider_id uuid NOT NULL REFERENCES providers(id),
    PRIMARY KEY (project_id, provider_id)
);
CREATE INDEX project_guests_provider ON project_guests (provider_id);
