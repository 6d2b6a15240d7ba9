// KayGraph's CheckpointStore on PostgreSQL: one row per run (the execution id), overwritten at every
// node boundary, so a run resumes after a restart without repeating a finished step.
import type { AgentsDb, Prisma } from "@kayos/db/agents";
import type { Checkpoint, CheckpointStore } from "@kayos/kaygraph";

export class PgCheckpointStore implements CheckpointStore {
  constructor(
    private readonly db: AgentsDb,
    private readonly organizationId: string,
  ) {}

  async save(checkpoint: Checkpoint): Promise<void> {
    // Serialized now: the engine keeps mutating its objects after save resolves.
    const json = JSON.parse(JSON.stringify(checkpoint)) as Prisma.InputJsonValue;
    await this.db.nexusGraphCheckpoint.upsert({
      where: { runId: checkpoint.runId },
      create: { runId: checkpoint.runId, organizationId: this.organizationId, graphId: checkpoint.graphId, status: checkpoint.status, checkpoint: json },
      update: { graphId: checkpoint.graphId, status: checkpoint.status, checkpoint: json },
    });
  }

  async load(runId: string): Promise<Checkpoint | undefined> {
    const row = await this.db.nexusGraphCheckpoint.findFirst({ where: { runId, organizationId: this.organizationId } });
    return row ? (row.checkpoint as unknown as Checkpoint) : undefined;
  }

  async delete(runId: string): Promise<void> {
    await this.db.nexusGraphCheckpoint.deleteMany({ where: { runId, organizationId: this.organizationId } });
  }
}
