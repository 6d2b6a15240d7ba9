-- Sidechain copies are few: a partial index lets an import find the ones its main-chain responses
-- supersede without probing the whole (organization, message id) index once per response.
-- Not expressible in schema.prisma (no partial indexes); the schema copy below is unchanged.
CREATE INDEX "usage_events_sidechain_message_idx" ON "usage_events"("organization_id", "message_id") WHERE "is_sidechain";
