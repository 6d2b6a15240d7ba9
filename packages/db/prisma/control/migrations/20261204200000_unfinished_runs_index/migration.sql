-- The run status reconciler (packages/api services/run-reconciler.ts) looks for unfinished runs every
-- few seconds: a partial index keeps that a lookup among the few unfinished runs, not a scan of all.
-- Not expressible in schema.prisma (no partial indexes); the schema copy below is unchanged.
CREATE INDEX "agent_runs_unfinished_idx" ON "agent_runs"("id") WHERE "status" IN ('queued', 'running');
