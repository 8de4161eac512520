-- The schema of migrations/sqlite/0010_occurred_on.sql in PostgreSQL's own types.
-- The day of a touchpoint whose source knew no time of day: pages show it instead of
-- occurred_at's time, which is then the start of that day.
ALTER TABLE touchpoints ADD COLUMN occurred_on date;
