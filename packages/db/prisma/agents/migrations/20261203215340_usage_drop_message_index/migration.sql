-- Every import pays for each index of usage_events. Lookups by message id always come with the
-- session and the instant (sidechain replays), which the (organization, session, timestamp) index
-- serves; the sidechain partial index covers the other direction.
DROP INDEX "usage_events_organization_id_message_id_idx";
