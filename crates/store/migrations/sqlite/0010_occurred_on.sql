-- The day of a touchpoint whose source knew no time of day (`YYYY-MM-DD`): pages show
-- it instead of occurred_at's time, which is then the start of that day.
ALTER TABLE touchpoints ADD COLUMN occurred_on TEXT;
