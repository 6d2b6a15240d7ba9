// A first import streams its rows into usage_events through one binary COPY left open while the
// folder is read: PostgreSQL stores them as they come instead of waiting, batch after batch, for the
// round trips of the batch path (usage.ts), which kept it idle ~40% of an import. Only for an
// organization without usage rows: the importer then knows every row of it (the ones it sent) and
// applies the de-duplication rules in memory (claude-transcript.ts, `handOver`).
import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { UsageRecord } from "../services/usage-record";
import { BinaryRows } from "./copy-binary";
import { COPY_NEW, copyNewRows, putNewRow } from "./usage";

/** Rows queued for the connection before `send` waits for PostgreSQL to take them (bounded memory). */
const QUEUED_BYTES = 16 << 20;

/** Whether the organization has no usage rows (its import may stream). */
export async function hasNoUsage(client: pg.ClientBase, org: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM usage_events WHERE organization_id = $1 LIMIT 1`, [org]);
  return rows.length === 0;
}

export class UsageStream {
  private readonly rows = new BinaryRows();
  private readonly copy;
  private readonly done: Promise<void>;
  private failed = false;
  /** Rows sent so far. */
  sent = 0;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly org: string,
  ) {
    this.copy = client.query(copyFrom(COPY_NEW, { highWaterMark: QUEUED_BYTES }));
    // 'finish' once PostgreSQL has stored every row; 'error' as soon as it refuses one (a key another
    // writer stored meanwhile: 23505), after which nothing more may be written.
    this.done = new Promise((resolve, reject) => {
      this.copy.once("finish", resolve);
      this.copy.once("error", (error) => {
        this.failed = true;
        reject(error);
      });
    });
    this.done.catch(() => undefined);
    this.rows.header();
  }

  /** Queues rows for PostgreSQL; waits only when much is queued already. Throws PostgreSQL's refusal. */
  async send(records: UsageRecord[]) {
    if (this.failed) return this.done;
    for (const r of records) putNewRow(this.rows, this.org, r);
    this.sent += records.length;
    if (!this.copy.write(this.rows.take())) await Promise.race([once(this.copy, "drain"), this.done]);
  }

  /** Ends the COPY without storing anything (a failure elsewhere ends the import); done once the connection is free. */
  async abort(reason: unknown) {
    if (this.failed) return;
    this.copy.destroy(reason instanceof Error ? reason : new Error(String(reason)));
    await this.done.catch(() => undefined);
  }

  /**
   * Ends the COPY once PostgreSQL has the rows, then replaces the stale rows (sent, then changed by
   * later lines) with their final copies. Returns how many rows it stored in all.
   */
  async end(changes: { stale: string[]; records: UsageRecord[] }): Promise<number> {
    if (!this.failed) {
      this.rows.trailer();
      this.copy.end(this.rows.take());
    }
    await this.done;
    if (changes.stale.length > 0) await this.client.query(`DELETE FROM usage_events WHERE organization_id = $1 AND event_id = ANY($2::text[])`, [this.org, changes.stale]);
    if (changes.records.length > 0) await copyNewRows(this.client, this.org, changes.records);
    return this.sent - changes.stale.length + changes.records.length;
  }
}
