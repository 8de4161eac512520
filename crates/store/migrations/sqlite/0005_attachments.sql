-- Photos and screenshots of research projects. The project document describes each
-- image (name, size, dimensions); the bytes live here under the same id, so saving
-- the document never rewrites them. Reads check that the reader may see the project.
CREATE TABLE attachments (
    id BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES projects(id),
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_project ON attachments (project_id, id);
