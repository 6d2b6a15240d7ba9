// Usage events: upserted by (organization, event_id) keeping the best copy of a response (main chain
// over sidechain, then the largest token total), merging tool calls, and dropping sidechain replays.
import type { TokenTotals } from "@kayos/contracts";
import type pg from "pg";
import { better, type UsageRecord } from "../services/usage-record";
import { inTransaction } from "../../shared/pg-pool";
import { copyBinary, type BinaryRows } from "./copy-binary";
import { UsageWrite } from "./usage-write";
import type { Pool } from "./db";

const COLS: [string, string, (r: UsageRecord) => unknown][] = [
  ["event_id", "text", (r) => r.eventId],
  ["session_id", "text", (r) => r.sessionId],
  ["source", "text", (r) => r.source],
  ["model", "text", (r) => r.model],
  ["message_id", "text", (r) => r.messageId],
  ["request_id", "text", (r) => r.requestId],
  ["is_sidechain", "bool", (r) => r.isSidechain],
  ["input_tokens", "int8", (r) => r.input],
  ["output_tokens", "int8", (r) => r.output],
  ["cache_write_5m_tokens", "int8", (r) => r.cacheWrite5m],
  ["cache_write_1h_tokens", "int8", (r) => r.cacheWrite1h],
  ["cache_read_tokens", "int8", (r) => r.cacheRead],
  ["fast", "bool", (r) => r.fast],
  ["cost_usd", "float8", (r) => r.costUsd],
  ["cost_source", "text", (r) => r.costSource],
  ["price_version", "text", (r) => r.priceVersion],
  ["latency_ms", "int4", (r) => r.latencyMs],
  ["ttft_ms", "int4", (r) => r.ttftMs],
  ["execution_id", "text", (r) => r.executionId],
  ["agent_id", "text", (r) => r.agentId],
  ["is_error", "bool", (r) => r.isError],
  ["tool_calls", "jsonb", (r) => (r.tools ? JSON.stringify(r.tools) : null)],
  ["timestamp", "timestamptz", (r) => r.timestamp.toISOString()],
];
const names = COLS.map(([n]) => `"${n}"`).join(", ");
const total = (t: string) => `(${t}.input_tokens + ${t}.output_tokens + ${t}.cache_write_5m_tokens + ${t}.cache_write_1h_tokens + ${t}.cache_read_tokens)`;
const BETTER = `((usage_events.is_sidechain AND NOT EXCLUDED.is_sidechain) OR (usage_events.is_sidechain = EXCLUDED.is_sidechain AND
  (${total("EXCLUDED")} > ${total("usage_events")} OR (${total("EXCLUDED")} = ${total("usage_events")} AND EXCLUDED.fast AND NOT usage_events.fast))))`;
const UPDATES = COLS.filter(([n]) => n !== "event_id" && n !== "tool_calls")
  .map(([n]) => `"${n}" = CASE WHEN ${BETTER} THEN EXCLUDED."${n}" ELSE usage_events."${n}" END`)
  .concat([
    `tool_calls = CASE WHEN usage_events.tool_calls IS NULL THEN EXCLUDED.tool_calls
      ELSE usage_events.tool_calls || COALESCE(EXCLUDED.tool_calls, '{}'::jsonb) END`,
  ])
  .join(",\n  ");
// The rows to store come either as array parameters $2… (small inputs) or, for large batches, from a
// temporary table filled with COPY: pg's array parameters cost ~10 µs a row to build and parse.
const PARAMS = `SELECT * FROM unnest(${COLS.map(([, t], i) => `$${i + 2}::${t}[]`).join(", ")}) AS t(${names})`;
const COPIED = `SELECT * FROM usage_in`;

/** The statements of one write, over `input` (array parameters or the COPY table). */
function statements(input: string) {
  const insert = `WITH input AS (${input})
INSERT INTO usage_events (organization_id, ${names})
SELECT $1, i.* FROM input i
WHERE NOT (i.is_sidechain AND i.message_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM usage_events u WHERE u.organization_id = $1 AND u.session_id = i.session_id AND u."timestamp" = i."timestamp"
    AND u.message_id = i.message_id AND NOT u.is_sidechain AND u.event_id <> i.event_id))`;
  return {
    // New responses go in first with DO NOTHING (an import is mostly new ones); only the rest are
    // compared with the stored copy, column by column.
    insertNew: `${insert} ON CONFLICT (organization_id, event_id) DO NOTHING RETURNING event_id`,
    // A stored copy is rewritten only when the new one is better or brings tool calls it lacks.
    upsert: (only: string) => `${insert} AND ${only} ON CONFLICT (organization_id, event_id) DO UPDATE SET
  ${UPDATES}
WHERE ${BETTER} OR (EXCLUDED.tool_calls IS NOT NULL AND (usage_events.tool_calls IS NULL OR NOT usage_events.tool_calls @> EXCLUDED.tool_calls))
RETURNING event_id, (xmax = 0) AS inserted`,
    // Main-chain responses just stored supersede sidechain copies of them stored earlier.
    dropReplays: `WITH input AS (${input})
DELETE FROM usage_events u USING input i
WHERE u.organization_id = $1 AND NOT i.is_sidechain AND i.message_id IS NOT NULL AND u.is_sidechain
  AND u.message_id = i.message_id AND u.session_id = i.session_id AND u."timestamp" = i."timestamp" AND u.event_id <> i.event_id
RETURNING u.event_id`,
  };
}
const BY_PARAMS = statements(PARAMS);
const BY_COPY = statements(COPIED);

const CHUNK = 5_000;
/** From this many rows a write goes through COPY. */
const COPY_FROM = 1_000;

const getters = COLS.map(([, , get]) => get);
const argsOf = (org: string, records: UsageRecord[]): unknown[] => [org, ...getters.map((get) => records.map(get))];

// COLS as binary COPY fields, written out in their order: mapping the getters cost the importer ~3 µs
// a row (usage.int.test.ts stores every column both ways and compares).
function putRecord(w: BinaryRows, r: UsageRecord) {
  w.text(r.eventId);
  w.text(r.sessionId);
  w.text(r.source);
  w.text(r.model);
  w.text(r.messageId);
  w.text(r.requestId);
  w.bool(r.isSidechain);
  w.int8(r.input);
  w.int8(r.output);
  w.int8(r.cacheWrite5m);
  w.int8(r.cacheWrite1h);
  w.int8(r.cacheRead);
  w.bool(r.fast);
  w.float8(r.costUsd);
  w.text(r.costSource);
  w.text(r.priceVersion);
  w.int4(r.latencyMs);
  w.int4(r.ttftMs);
  w.text(r.executionId);
  w.text(r.agentId);
  w.bool(r.isError);
  w.jsonb(r.tools ? JSON.stringify(r.tools) : null);
  w.timestamptz(r.timestamp);
}

// Responses no stored row has yet (the bulk of a first import) are copied straight into the table:
// COPY into a temporary table and INSERT … SELECT … ON CONFLICT from it cost twice as much.
const STORED_IDS = `SELECT event_id FROM usage_events WHERE organization_id = $1 AND event_id = ANY($2::text[])`;
export const COPY_NEW = `COPY usage_events (organization_id, ${names}) FROM STDIN (FORMAT binary)`;

/** One row of COPY_NEW. */
export function putNewRow(w: BinaryRows, org: string, r: UsageRecord) {
  w.row(COLS.length + 1);
  w.text(org);
  putRecord(w, r);
}

/** COPY_NEW of `records`, written at once. */
export const copyNewRows = (client: pg.ClientBase, org: string, records: UsageRecord[]) => copyBinary(client, COPY_NEW, records, (w, r) => putNewRow(w, org, r));

// Sidechain lines replaying a stored main-chain response (same message, session and instant, another key).
const REPLAYS = `SELECT i.event_id FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS i(event_id, session_id, ts, message_id)
WHERE EXISTS (SELECT 1 FROM usage_events u WHERE u.organization_id = $1 AND u.session_id = i.session_id AND u."timestamp" = i.ts
  AND u.message_id = i.message_id AND NOT u.is_sidechain AND u.event_id <> i.event_id)`;
// Sidechain copies stored earlier of main-chain responses being stored (the partial index finds them).
const SIDECHAIN_COPIES = `SELECT event_id, message_id, session_id, "timestamp" FROM usage_events
WHERE organization_id = $1 AND is_sidechain AND message_id = ANY($2::text[])`;

/**
 * What a transaction has written so far, so that its later writes need not ask the table about their
 * own rows (asking cost a first import ~100 ms of PostgreSQL's time per 36k responses).
 */
interface Written {
  /**
   * Event ids of every record written, with the copy the table holds when this transaction wrote it
   * (null once an upsert may have changed it: the id is known stored, its copy is not).
   */
  ids: Map<string, UsageRecord | null>;
  /** Message ids of the sidechain records written. */
  sidechainMessages: Set<string>;
  /** Whether the organization had sidechain rows before the first COPY (asked then). */
  sidechainBefore: boolean | null;
  /**
   * Set once a COPY met a stored row the transaction had not written (a re-import, or another writer
   * committing meanwhile): from then on every write asks the table.
   */
  careful: boolean;
  /**
   * Whether the savepoint of the last COPY is still open: it is released in the same round trip that
   * opens the next one (the commit releases the last), one wait on PostgreSQL less per batch.
   */
  savepointOpen: boolean;
}

/** Past this many ids the transaction stops remembering and asks the table (bounded memory). */
const REMEMBER_MAX = 1_000_000;

const newWritten = (): Written => ({ ids: new Map(), sidechainMessages: new Set(), sidechainBefore: null, careful: false, savepointOpen: false });

/**
 * Of a chunk's records not copied, those the upsert must see. Remembers the chunk's sidechain messages
 * (first: a main-chain record may supersede a sidechain copy of this very chunk) and that the ids given
 * to the upsert are stored, their copy unknown.
 */
function toUpsert(w: Written, chunk: UsageRecord[], rest: UsageRecord[]): UsageRecord[] {
  if (w.careful) return rest;
  for (const r of chunk) if (r.isSidechain && r.messageId !== null) w.sidechainMessages.add(r.messageId);
  const changing = rest.filter((r) => !changesNothing(w, r));
  for (const r of changing) w.ids.set(r.eventId, null);
  if (w.ids.size > REMEMBER_MAX) forget(w);
  return changing;
}

/** Rows deleted (superseded sidechain copies): neither inserted nor stored any more. */
function dropped(stored: UsageWrite, w: Written, ids: Iterable<string>) {
  for (const id of ids) {
    stored.removed(id);
    w.ids.delete(id);
  }
}

function forget(w: Written) {
  w.careful = true;
  w.ids.clear();
  w.sidechainMessages.clear();
}

/** Whether the organization may hold sidechain copies of this message (written by others, or by this transaction). */
const mayHaveSidechainCopies = (w: Written, message: string) => w.careful || w.sidechainBefore === true || w.sidechainMessages.has(message);

/**
 * Whether the upsert would leave the table as it is for `r`: its id's stored copy (this transaction's
 * own) is at least as good and has its tool calls, and no sidechain copy can be superseded by it (a
 * resumed session repeats earlier responses line for line: ~6 per batch, three statements each).
 */
function changesNothing(w: Written, r: UsageRecord): boolean {
  const stored = w.ids.get(r.eventId);
  if (!stored || better(r, stored) || !toolsWithin(r.tools, stored.tools)) return false;
  return r.isSidechain || r.messageId === null || !mayHaveSidechainCopies(w, r.messageId);
}

/** Whether every tool call of `tools` is in `stored` (jsonb's `@>` on the stored tool_calls). */
function toolsWithin(tools: UsageRecord["tools"], stored: UsageRecord["tools"]): boolean {
  if (tools === null) return true;
  if (stored === null) return false;
  for (const id in tools) if (stored[id] !== tools[id]) return false;
  return true;
}

/**
 * Copies into the table the records whose event id is not stored yet (the first copy in the chunk),
 * leaving out sidechain replays of stored responses: what the upsert below would insert. Returns the
 * records copied and those left for the upsert. Ids this transaction wrote before are known stored;
 * the others are copied without asking, and a row stored by a re-import or a concurrent writer makes
 * the COPY fail on the unique key: the savepoint undoes it and the chunk asks the table, as do the
 * transaction's later writes.
 */
async function copyNew(client: pg.PoolClient, org: string, chunk: UsageRecord[], stored: UsageWrite, written: Written): Promise<{ copied: UsageRecord[]; rest: UsageRecord[] }> {
  if (written.sidechainBefore === null) {
    // Asked before the transaction copies anything (its own rows would answer).
    const { rows } = await client.query(`SELECT 1 FROM usage_events WHERE organization_id = $1 AND is_sidechain LIMIT 1`, [org]);
    written.sidechainBefore = rows.length > 0;
  }
  const careful = written.careful;
  let fresh: UsageRecord[] = [];
  const rest: UsageRecord[] = [];
  if (careful) {
    const first = new Map<string, UsageRecord>();
    for (const r of chunk) if (!first.has(r.eventId)) first.set(r.eventId, r);
    const { rows: known } = await client.query<{ event_id: string }>(STORED_IDS, [org, [...first.keys()]]);
    for (const r of known) first.delete(r.event_id);
    for (const r of chunk) (first.get(r.eventId) === r ? fresh : rest).push(r);
  } else {
    // Each new id is remembered with its copy at once (one lookup a record): should the COPY fail,
    // the transaction forgets everything anyway.
    for (const r of chunk) {
      if (written.ids.has(r.eventId)) rest.push(r);
      else {
        written.ids.set(r.eventId, r);
        fresh.push(r);
      }
    }
  }
  const sidechain = fresh.filter((r) => r.isSidechain && r.messageId !== null);
  if (sidechain.length > 0) {
    const { rows } = await client.query<{ event_id: string }>(REPLAYS, [
      org,
      sidechain.map((r) => r.eventId),
      sidechain.map((r) => r.sessionId),
      sidechain.map((r) => r.timestamp.toISOString()),
      sidechain.map((r) => r.messageId),
    ]);
    if (rows.length > 0) {
      // The replaying lines themselves are dropped; a later copy of the same response that is no
      // replay goes to the upsert.
      const replays = new Set(rows.map((r) => r.event_id));
      fresh = fresh.filter((r) => !replays.has(r.eventId));
      if (!careful) for (const id of replays) written.ids.delete(id);
    }
  }
  if (fresh.length === 0) return { copied: fresh, rest };
  await client.query(written.savepointOpen ? "RELEASE SAVEPOINT copy_new; SAVEPOINT copy_new" : "SAVEPOINT copy_new");
  written.savepointOpen = true;
  try {
    await copyNewRows(client, org, fresh);
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    await client.query("ROLLBACK TO SAVEPOINT copy_new");
    if (careful) return { copied: [], rest: chunk };
    forget(written);
    return copyNew(client, org, chunk, stored, written);
  }
  stored.copied(fresh);
  return { copied: fresh, rest };
}

/**
 * Drops the stored sidechain copies that the chunk's main-chain lines of copied responses supersede
 * (same message, session and instant, another key): the upsert's replay rule, for the rows it copied.
 * Runs after the upsert, which may have made a stored sidechain copy main-chain, and after the chunk is
 * remembered (its own sidechain rows are stored too).
 */
async function dropSupersededBy(client: pg.PoolClient, org: string, copied: UsageRecord[], stored: UsageWrite, written: Written) {
  const keysAt = new Map<string, Set<string>>();
  const messages = new Set<string>();
  for (const r of copied) {
    if (r.isSidechain || r.messageId === null || !mayHaveSidechainCopies(written, r.messageId)) continue;
    const at = `${r.messageId}\n${r.sessionId}\n${r.timestamp.getTime()}`;
    keysAt.set(at, (keysAt.get(at) ?? new Set<string>()).add(r.eventId));
    messages.add(r.messageId);
  }
  if (messages.size === 0) return;
  const { rows } = await client.query<{ event_id: string; message_id: string; session_id: string; timestamp: Date }>(SIDECHAIN_COPIES, [org, [...messages]]);
  const superseded = rows
    .filter((s) => {
      const keys = keysAt.get(`${s.message_id}\n${s.session_id}\n${s.timestamp.getTime()}`);
      return keys !== undefined && (keys.size > 1 || !keys.has(s.event_id));
    })
    .map((s) => s.event_id);
  if (superseded.length === 0) return;
  await client.query(`DELETE FROM usage_events WHERE organization_id = $1 AND event_id = ANY($2::text[])`, [org, superseded]);
  dropped(stored, written, superseded);
}

async function copyIn(client: pg.PoolClient, records: UsageRecord[]) {
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS usage_in AS SELECT ${names} FROM usage_events WITH NO DATA`);
  await client.query("TRUNCATE usage_in");
  await copyBinary(client, `COPY usage_in (${names}) FROM STDIN (FORMAT binary)`, records, (w, r) => {
    w.row(COLS.length);
    putRecord(w, r);
  });
}

/** Writes a batch of records in a usage transaction (after the batches before it). */
export type UsageWriter = (records: UsageRecord[]) => Promise<void>;

/** Stores records in one transaction; the rest of the ids kept the copy already stored. */
export async function upsertUsage(pool: Pool, org: string, records: UsageRecord[]): Promise<UsageWrite> {
  if (records.length === 0) return new UsageWrite();
  return usageTransaction(pool, org, (write) => write(records));
}

/**
 * One transaction into which `fill` writes records batch by batch, in order (an importer parses the
 * next files while PostgreSQL stores the last batch). Returns the event ids that were new or updated.
 */
export function usageTransaction(pool: Pool, org: string, fill: (write: UsageWriter) => Promise<void>): Promise<UsageWrite> {
  return inTransaction(pool, (client) => writeUsage(client, org, fill));
}

/** `usageTransaction`'s writes, in a transaction open on `client`. */
export async function writeUsage(client: pg.PoolClient, org: string, fill: (write: UsageWriter) => Promise<void>): Promise<UsageWrite> {
  // Plans from the column statistics, not from the organization id: in the statistics an
  // organization whose first import is running has no rows, and plans made for one row read all of
  // its rows once per row as the import adds them (a 100 MB import took a minute instead of a second).
  await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
  const stored = new UsageWrite();
  const written = newWritten();
  /** New ids inserted, stored ones replaced by a better copy, replays dropped. */
  const upsert = async (chunk: UsageRecord[]) => {
    const copied = chunk.length >= COPY_FROM;
    if (copied) await copyIn(client, chunk);
    const sql = copied ? BY_COPY : BY_PARAMS;
    const args = copied ? [org] : argsOf(org, chunk);
    const fresh = new Set((await client.query<{ event_id: string }>(sql.insertNew, args)).rows.map((r) => r.event_id));
    for (const id of fresh) stored.added(id);
    const rest = chunk.filter((r) => !fresh.has(r.eventId));
    if (rest.length > 0) {
      const { rows } = copied
        ? await client.query<{ event_id: string; inserted: boolean }>(sql.upsert(`i.event_id IN (SELECT unnest($2::text[]))`), [org, rest.map((r) => r.eventId)])
        : await client.query<{ event_id: string; inserted: boolean }>(sql.upsert("true"), argsOf(org, rest));
      for (const r of rows) {
        if (r.inserted) stored.added(r.event_id);
        else stored.updated.add(r.event_id);
      }
    }
    if (chunk.some((r) => !r.isSidechain && r.messageId)) {
      // A replay stored a moment ago (in this batch) was not new after all.
      dropped(stored, written, (await client.query<{ event_id: string }>(sql.dropReplays, args)).rows.map((r) => r.event_id));
    }
  };
  const write = async (records: UsageRecord[]) => {
    for (let from = 0; from < records.length; from += CHUNK) {
      const chunk = records.slice(from, from + CHUNK);
      const { copied, rest } = chunk.length >= COPY_FROM ? await copyNew(client, org, chunk, stored, written) : { copied: [], rest: chunk };
      const changing = toUpsert(written, chunk, rest);
      if (changing.length > 0) await upsert(changing);
      if (copied.length > 0) await dropSupersededBy(client, org, copied, stored, written);
    }
  };
  await fill(write);
  return stored;
}

export const TOTALS_SQL = `COALESCE(SUM(input_tokens), 0) AS input_tokens, COALESCE(SUM(output_tokens), 0) AS output_tokens,
  COALESCE(SUM(cache_write_5m_tokens), 0) AS cache_write_5m_tokens, COALESCE(SUM(cache_write_1h_tokens), 0) AS cache_write_1h_tokens,
  COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens, COALESCE(SUM(cost_usd), 0) AS cost_usd`;

export type TotalsRow = Omit<TokenTotals, "total_tokens">;

export const withTotal = <T extends TotalsRow>(r: T): T & TokenTotals => ({
  ...r,
  cost_usd: Math.round(r.cost_usd * 1e6) / 1e6,
  total_tokens: r.input_tokens + r.output_tokens + r.cache_write_5m_tokens + r.cache_write_1h_tokens + r.cache_read_tokens,
});

export async function sessionTotals(pool: Pool, org: string, sessions: string[]) {
  const { rows } = await pool.query<TotalsRow & { session_id: string; responses: number }>(
    `SELECT session_id, COUNT(*)::int AS responses, ${TOTALS_SQL} FROM usage_events
     WHERE organization_id = $1 AND session_id = ANY($2::text[]) GROUP BY session_id ORDER BY session_id`,
    [org, sessions],
  );
  return rows.map(withTotal);
}
