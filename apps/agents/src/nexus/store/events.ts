// The execution event table. Writes are group-committed: events gather for a few milliseconds (and
// while an insert is in flight) and go out together, in order, so a streamed reply costs a handful
// of inserts instead of one per token and hundreds of concurrent streams cost few round trips.
// Live readers get events from memory at once; the table is what restarts and other processes read.
import type { AgentsDb } from "@kayos/db/agents";
import { appendEvent, insertEvents, type EventInsert, type Pool } from "./sql";

export type EventRow = EventInsert;

const GATHER_MS = 20;

export class EventStore {
  private queue: { row: EventRow; done: () => void; fail: (e: unknown) => void }[] = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: AgentsDb,
    private readonly pool: Pool,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Persists one event; resolves once it (and every event queued before it) is stored. */
  write(row: EventRow): Promise<void> {
    const persisted = new Promise<void>((done, fail) => this.queue.push({ row, done, fail }));
    if (!this.running) {
      this.running = true;
      this.idle = new Promise((resolve) => setTimeout(resolve, GATHER_MS)).then(() => this.pump());
    }
    return persisted;
  }

  /** Resolves when every queued event is written (before the pool closes). */
  drained(): Promise<void> {
    return this.idle;
  }

  private async pump() {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 2000);
      try {
        await insertEvents(this.pool, batch.map((b) => b.row));
        for (const b of batch) b.done();
      } catch (error) {
        this.onError(error);
        for (const b of batch) b.fail(error);
      }
    }
    this.running = false;
  }

  after(executionId: string, after: number, upTo?: number) {
    return this.db.nexusExecutionEvent.findMany({
      where: { executionId, seq: { gt: after, ...(upTo !== undefined ? { lte: upTo } : {}) } },
      orderBy: { seq: "asc" },
      take: 5000,
      select: { seq: true, type: true, data: true },
    });
  }

  /** Writes an event after the last stored one, for a run whose own writer is gone. */
  async append(row: Omit<EventRow, "seq">): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) if ((await appendEvent(this.pool, row)) !== null) return;
    throw new Error(`could not append a ${row.type} event to execution ${row.executionId}: its sequence keeps moving`);
  }

  last(executionId: string) {
    return this.db.nexusExecutionEvent.findFirst({ where: { executionId }, orderBy: { seq: "desc" }, select: { seq: true, type: true } });
  }

  async lastSeq(executionId: string): Promise<number> {
    return (await this.last(executionId))?.seq ?? 0;
  }

}
