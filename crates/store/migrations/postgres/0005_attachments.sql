-- The schema of migrations/sqlite/0005_attachments.sql in PostgreSQL's own types.
-- Photos and screenshots of research projects. The project document describes each
-- image (name, size, dimensions); the bytes live here under the same id, so saving
-- the document never rewrites them. Reads check that the reader may see the project.
CREATE TABLE attachments (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects(id),
    content_type text NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX attachments_project ON attachments (project_id, id);
