-- AlterTable
ALTER TABLE "agent_runs" ADD COLUMN     "server_id" TEXT;

-- Runs started before this: the server their agent is set to, else the organization's default (where
-- the dispatcher sent them).
UPDATE "agent_runs" r SET "server_id" = a."server_id" FROM "agents" a WHERE r."agent_id" = a."id" AND a."server_id" IS NOT NULL;
UPDATE "agent_runs" r SET "server_id" = (
  SELECT s."id" FROM "customer_servers" s WHERE s."organization_id" = r."organization_id" ORDER BY s."is_default" DESC, s."created_at" ASC LIMIT 1
) WHERE r."server_id" IS NULL;
