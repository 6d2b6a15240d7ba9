// Reads of the append-only log table, always scoped by organization, and bounded retention deletes.
import type { LogEntryOutput, LogsQuery } from "@kayos/contracts";
import { HttpError } from "../../shared/errors";
import type { Pool } from "./db";

interface Row {
  id: string;
  session_id: string;
  event_id: string | null;
  level: string;
  source: string;
  log_line: string;
  attributes: Record<string, unknown> | null;
  timestamp: Date;
}

export const toOutput = (r: Row): LogEntryOutput => ({
  id: String(r.id),
  session_id: r.session_id,
  event_id: r.event_id,
  level: r.level,
  source: r.source,
  log_line: r.log_line,
  attributes: r.attributes,
  timestamp: r.timestamp.toISOString(),
});

const encodeCursor = (r: Row) => Buffer.from(`${r.timestamp.toISOString()}|${r.id}`).toString("base64url");

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!at || !id || !/^\d+$/.test(id) || Number.isNaN(Date.parse(at))) throw new HttpError(400, "Invalid cursor: pass next_cursor back unchanged");
  return [at, id];
}

/** Whether the organization has anything stored for the session (logs, usage or snapshots). */
export async function sessionExists(pool: Pool, org: string, session: string): Promise<boolean> {
  const { rows } = await pool.query(
    `SELECT EXISTS (SELECT 1 FROM log_entries WHERE organization_id = $1 AND session_id = $2)
         OR EXISTS (SELECT 1 FROM usage_events WHERE organization_id = $1 AND session_id = $2)
         OR EXISTS (SELECT 1 FROM snapshots WHERE organization_id = $1 AND session_id = $2) AS found`,
    [org, session],
  );
  return rows[0].found as boolean;
}

export async function requireSession(pool: Pool, org: string, session: string) {
  if (!(await sessionExists(pool, org, session))) throw new HttpError(404, `Session ${session} not found`);
}

/** One page in (timestamp, id) order, keyset-paginated so deep pages stay as fast as the first. */
export async function logsPage(pool: Pool, org: string, session: string, q: LogsQuery) {
  const where = ["organization_id = $1", "session_id = $2"];
  const args: unknown[] = [org, session];
  const add = (sql: string, value: unknown) => {
    args.push(value);
    where.push(sql.replace("?", `$${args.length}`));
  };
  if (q.level) add("level = ANY(?::text[])", q.level.split(",").map((l) => l.trim()).filter(Boolean));
  if (q.source) add("source = ?", q.source);
  if (q.since) add(`"timestamp" >= ?::timestamptz`, q.since);
  if (q.until) add(`"timestamp" < ?::timestamptz`, q.until);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    args.push(at, id);
    where.push(`("timestamp", id) > ($${args.length - 1}::timestamptz, $${args.length}::bigint)`);
  }
  args.push(q.limit + 1);
  const { rows } = await pool.query<Row>(
    `SELECT id, session_id, event_id, level, source, log_line, attributes, "timestamp" FROM log_entries
     WHERE ${where.join(" AND ")} ORDER BY "timestamp", id LIMIT $${args.length}`,
    args,
  );
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { entries: page.map(toOutput), next_cursor: more ? encodeCursor(page[page.length - 1]!) : null };
}

/** Entries stored after a given id (by insertion), for the live tail. */
export async function logsAfter(pool: Pool, org: string, session: string, afterId: string, limit = 1000) {
  const { rows } = await pool.query<Row>(
    `SELECT id, session_id, event_id, level, source, log_line, attributes, "timestamp" FROM log_entries
     WHERE organization_id = $1 AND session_id = $2 AND id > $3::bigint ORDER BY id LIMIT $4`,
    [org, session, afterId, limit],
  );
  return rows.map(toOutput);
}

/** Deletes log lines older than `before` in batches of `batchSize`, so no statement holds locks for long. */
/** Deletes one organization's log lines older than `before`, `batchSize` rows per statement. */
export async function deleteLogsBefore(pool: Pool, org: string, before: Date, batchSize = 10_000, maxBatches = 10_000) {
  let deleted = 0;
  let batches = 0;
  while (batches < maxBatches) {
    const res = await pool.query(
      `DELETE FROM log_entries WHERE id IN (SELECT id FROM log_entries WHERE organization_id = $1 AND "timestamp" < $2 LIMIT $3)`,
      [org, before, batchSize],
    );
    batches++;
    deleted += res.rowCount ?? 0;
    if ((res.rowCount ?? 0) < batchSize) break;
  }
  return { deleted, batches, before: before.toISOString() };
}
