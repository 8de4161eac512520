-- Research projects are stored whole, as the engine's export document, with a
-- version that every save must name (optimistic concurrency: two edits never
-- silently overwrite each other). Guests are other providers invited to a project.
CREATE TABLE projects (
    id BLOB PRIMARY KEY,
    owner BLOB NOT NULL REFERENCES providers(id),
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX projects_owner ON projects (owner, id);

CREATE TABLE project_guests (
    project_id BLOB NOT NULL REFERENCES projects(id),
    provider_id BLOB NOT NULL REFERENCES providers(id),
    PRIMARY KEY (project_id, provider_id)
);
CREATE INDEX project_guests_provider ON project_guests (provider_id);
