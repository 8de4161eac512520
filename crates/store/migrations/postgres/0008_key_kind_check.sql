-- A key's kind is one the program knows, or the row cannot exist: an unknown kind
-- must never be read as some kind of access. (0007 was SQLite's alone.)
ALTER TABLE api_keys ADD CONSTRAINT api_keys_kind CHECK (kind IN ('secret', 'publishable'));
