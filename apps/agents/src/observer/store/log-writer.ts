// Group commit for log ingest: entries from concurrent requests are queued and written together per
// flush — small flushes in one INSERT … ON CONFLICT DO NOTHING, large ones (256 rows and up) with
// COPY — and each request is answered after the COMMIT that holds its entries. Duplicated event_ids
// are skipped by the unique key. After a commit it notifies every Observer instance (PostgreSQL
// NOTIFY), whose live tails then read.
import { EventEmitter } from "node:events";
import { isDataException } from "../../shared/errors";
import { copyField, copyRows } from "./copy";
import type { Pool } from "./db";
import { notifyCommitted } from "./log-notifications";

export interface LogRow {
  organizationId: string;
  sessionId: string;
  eventId: string | null;
  level: string;
  source: string;
  logLine: string;
  attributes: Record<string, unknown> | null;
  timestamp: string;
}

interface Pending {
  rows: LogRow[];
  resolve: (stored: boolean[]) => void;
  reject: (error: unknown) => void;
}

// One JSON document per statement: V8 serializes it natively and PostgreSQL parses it in one pass,
// cheaper on both sides than eight array parameters. Only rows with an event_id come back.
const INSERT = `WITH ins AS (
  INSERT INTO log_entries (organization_id, session_id, event_id, level, source, log_line, attributes, "timestamp")
  SELECT o, s, e, l, src, m, a, t FROM json_to_recordset($1::json)
    AS x(o text, s text, e text, l text, src text, m text, a jsonb, t timestamptz)
  ON CONFLICT (organization_id, event_id) DO NOTHING
  RETURNING organization_id, event_id)
SELECT organization_id, event_id FROM ins WHERE event_id IS NOT NULL`;

export interface CommittedLog {
  organizationId: string;
  sessionId: string;
}

export class LogWriter extends EventEmitter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly pool: Pool,
    private readonly opts = { maxRows: 20_000, maxInFlight: 4, copyFrom: 256 },
  ) {
    super();
    this.setMaxListeners(0);
  }

  /** Resolves, after commit, with one flag per row: true if stored now, false if its event_id was already stored. */
  write(rows: LogRow[]): Promise<boolean[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    while (this.queue.length > 0 && this.inFlight < this.opts.maxInFlight) {
      const batch: Pending[] = [];
      let count = 0;
      while (this.queue.length > 0 && (count === 0 || count + this.queue[0]!.rows.length <= this.opts.maxRows)) {
        const next = this.queue.shift()!;
        batch.push(next);
        count += next.rows.length;
      }
      this.inFlight++;
      this.insert(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async insert(batch: Pending[]) {
    const rows = batch.flatMap((p) => p.rows);
    try {
      const storedIds = (rows.length >= this.opts.copyFrom && (await copyAll(this.pool, rows))) || (await insertRows(this.pool, rows));
      const seen = new Set<string>();
      const sessions = new Map<string, CommittedLog>();
      for (const p of batch) {
        p.resolve(
          p.rows.map((r) => {
            sessions.set(key(r.organizationId, r.sessionId), { organizationId: r.organizationId, sessionId: r.sessionId });
            // Rows without an event_id are always inserted; the first row with a new event_id is the stored one.
            if (r.eventId === null) return true;
            const id = key(r.organizationId, r.eventId);
            if (!storedIds.has(id) || seen.has(id)) return false;
            seen.add(id);
            return true;
          }),
        );
      }
      // After the answers: a lost notification delays a tail (it also looks on its heartbeat), never an ingest.
      notifyCommitted(this.pool, [...sessions.values()]).catch(() => undefined);
    } catch (error) {
      // Concurrent requests share a write: when PostgreSQL refuses a value, each is tried alone so only its own request fails.
      if (batch.length > 1 && isDataException(error)) for (const p of batch) await this.insert([p]);
      else for (const p of batch) p.reject(error);
    }
  }
}

const key = (organizationId: string, id: string) => `${organizationId}\u0000${id}`;

/** INSERT … ON CONFLICT DO NOTHING; the keys of the rows with an event_id that were stored. */
async function insertRows(pool: Pool, rows: LogRow[]): Promise<Set<string>> {
  const doc = rows.map((r) => ({ o: r.organizationId, s: r.sessionId, e: r.eventId, l: r.level, src: r.source, m: r.logLine, a: r.attributes, t: r.timestamp }));
  const result = await pool.query<{ organization_id: string; event_id: string }>(INSERT, [JSON.stringify(doc)]);
  return new Set(result.rows.map((r) => key(r.organization_id, r.event_id)));
}

const copyLine = (r: LogRow) =>
  `${copyField(r.organizationId)}\t${copyField(r.sessionId)}\t${copyField(r.eventId)}\t${copyField(r.level)}\t${copyField(r.source)}\t${copyField(r.logLine)}\t${copyField(r.attributes && JSON.stringify(r.attributes))}\t${r.timestamp}\n`;
const COPY = `COPY log_entries (organization_id, session_id, event_id, level, source, log_line, attributes, "timestamp") FROM STDIN`;
const UNIQUE_VIOLATION = "23505";

/**
 * Large batches go in with one COPY. A COPY is all or nothing: when an event_id is already stored (a
 * retry) it fails on the unique key and stores nothing, and null sends the caller to INSERT … ON CONFLICT.
 */
async function copyAll(pool: Pool, rows: LogRow[]): Promise<Set<string> | null> {
  const client = await pool.connect();
  try {
    await copyRows(client, COPY, rows, copyLine);
  } catch (error) {
    const conflict = (error as { code?: string }).code === UNIQUE_VIOLATION;
    // PostgreSQL refused the rows and the connection is fine; after anything else it is not reused.
    client.release(conflict ? undefined : (error as Error));
    if (conflict) return null;
    throw error;
  }
  client.release();
  return new Set(rows.filter((r) => r.eventId !== null).map((r) => key(r.organizationId, r.eventId!)));
}
