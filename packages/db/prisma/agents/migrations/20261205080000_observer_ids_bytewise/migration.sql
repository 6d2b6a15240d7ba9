-- The observer's ids are opaque: compared byte for byte (COLLATE "C") instead of through the
-- database's C.UTF-8 locale, whose comparisons cost a transcript import ~5% of PostgreSQL's time in
-- the indexes. Same order for UTF-8 text (code point order); the indexes are rebuilt. session_id
-- changes in both tables together: the dashboard unites them.
ALTER TABLE "log_entries"
  ALTER COLUMN "organization_id" TYPE text COLLATE "C",
  ALTER COLUMN "session_id" TYPE text COLLATE "C",
  ALTER COLUMN "event_id" TYPE text COLLATE "C";

ALTER TABLE "usage_events"
  ALTER COLUMN "organization_id" TYPE text COLLATE "C",
  ALTER COLUMN "session_id" TYPE text COLLATE "C",
  ALTER COLUMN "event_id" TYPE text COLLATE "C",
  ALTER COLUMN "message_id" TYPE text COLLATE "C";
