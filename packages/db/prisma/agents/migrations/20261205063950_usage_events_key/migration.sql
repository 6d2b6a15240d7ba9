-- usage_events is keyed by (organization_id, event_id) alone: the surrogate id cost every import a
-- sequence step and a fifth index per row. The unique index becomes the primary key as it is (renamed
-- to usage_events_pkey), without being built again.
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_pkey",
DROP COLUMN "id",
ADD CONSTRAINT "usage_events_pkey" PRIMARY KEY USING INDEX "usage_events_organization_id_event_id_key";
