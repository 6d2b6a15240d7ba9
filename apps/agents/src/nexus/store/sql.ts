// The hot path of an execution in plain SQL over `pg` (as Observer does): the rows written before
// and while a reply streams. Prisma's per-query cost on this event loop would delay the first
// token; reads and everything else stay on Prisma. Timestamps are written as UTC text, as Prisma does.
import type { PoolClient } from "pg";
import { createPgPool, inTransaction, type Pool } from "../../shared/pg-pool";

export type { Pool };

export function createPool(url: string, max = 10): Pool {
  return createPgPool({ connectionString: url, max });
}

const utc = () => new Date().toISOString();

export interface ExecutionInsert {
  id: string;
  organizationId: string;
  agentType: string;
  conversationId: string | null;
  definitionId: string | null;
  model: string | null;
  input: unknown;
}

export async function insertExecution(pool: Pool | PoolClient, e: ExecutionInsert) {
  const now = utc();
  await pool.query(
    `INSERT INTO executions (id, organization_id, agent_type, conversation_id, definition_id, model, input, status, created_at, started_at, heartbeat_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $8, $8)`,
    [e.id, e.organizationId, e.agentType, e.conversationId, e.definitionId, e.model, JSON.stringify(e.input), now],
  );
}

/** What recording an execution that continues a conversation came to. */
export type ConversationTurn = { stored: true } | { stored: false; busyWith: string } | { stored: false; busyWith: null };

/**
 * Records an execution that continues a conversation unless another one is still writing a reply
 * there (`busyWith` names it; nothing is stored). The conversation's row lock makes concurrent
 * messages take turns, and each looks for a running execution only once it holds the lock (a new
 * snapshot under READ COMMITTED), so two can never both find the conversation idle.
 * `busyWith: null`: the conversation does not exist (in this organization).
 */
export function insertConversationTurn(pool: Pool, e: ExecutionInsert & { conversationId: string }): Promise<ConversationTurn> {
  // A refusal writes nothing, so committing it only lets go of the lock.
  return inTransaction(pool, async (client) => {
    const locked = await client.query(`SELECT id FROM conversations WHERE id = $1 AND organization_id = $2 FOR UPDATE`, [e.conversationId, e.organizationId]);
    if (locked.rowCount !== 1) return { stored: false, busyWith: null };
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM executions WHERE conversation_id = $1 AND status IN ('queued', 'running') ORDER BY created_at LIMIT 1`,
      [e.conversationId],
    );
    if (rows[0]) return { stored: false, busyWith: rows[0].id };
    await insertExecution(client, e);
    return { stored: true };
  });
}

export async function insertConversation(pool: Pool, c: { id: string; organizationId: string; agentType: string; title: string | null }) {
  const now = utc();
  await pool.query(
    `INSERT INTO conversations (id, organization_id, agent_type, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
    [c.id, c.organizationId, c.agentType, c.title, now],
  );
}

export async function insertMessage(pool: Pool, m: { id: string; organizationId: string; conversationId: string; role: string; text: string; executionId: string }) {
  await pool.query(
    `INSERT INTO conversation_messages (id, organization_id, conversation_id, role, content, execution_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [m.id, m.organizationId, m.conversationId, m.role, JSON.stringify(m.text), m.executionId, utc()],
  );
}

export interface EventInsert {
  organizationId: string;
  executionId: string;
  seq: number;
  type: string;
  data: unknown;
}

/** One multi-row insert; a row already stored (same execution and seq) is left as it is. */
export async function insertEvents(pool: Pool, rows: EventInsert[]) {
  const values: unknown[] = [];
  const tuples = rows.map((r, i) => {
    values.push(r.organizationId, r.executionId, r.seq, r.type, JSON.stringify(r.data));
    const b = i * 5;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb)`;
  });
  await pool.query(
    `INSERT INTO nexus_execution_events (organization_id, execution_id, seq, type, data) VALUES ${tuples.join(", ")} ON CONFLICT (execution_id, seq) DO NOTHING`,
    values,
  );
}

/**
 * Appends one event after the last one stored, whoever wrote it; null when another writer took
 * that sequence number first (the caller tries again).
 */
export async function appendEvent(pool: Pool, e: Omit<EventInsert, "seq">): Promise<number | null> {
  const { rows } = await pool.query<{ seq: number }>(
    `INSERT INTO nexus_execution_events (organization_id, execution_id, seq, type, data)
     SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4::jsonb FROM nexus_execution_events WHERE execution_id = $2
     ON CONFLICT (execution_id, seq) DO NOTHING RETURNING seq`,
    [e.organizationId, e.executionId, e.type, JSON.stringify(e.data)],
  );
  return rows[0]?.seq ?? null;
}

/** This process still runs these executions; answers those that are still running. */
export async function beat(pool: Pool, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE executions SET heartbeat_at = $2 WHERE id = ANY($1) AND status = 'running' RETURNING id`,
    [ids, utc()],
  );
  return new Set(rows.map((r) => r.id));
}

/** Hands runs over at shutdown: an empty heartbeat lets the next process take them at once. */
export async function release(pool: Pool, ids: string[]) {
  if (ids.length > 0) await pool.query(`UPDATE executions SET heartbeat_at = NULL WHERE id = ANY($1) AND status = 'running'`, [ids]);
}

/** Unfinished runs nobody runs: no heartbeat, or none for `staleMs`. Not those waiting for a human. */
export async function orphans(pool: Pool, staleMs: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM executions WHERE status IN ('queued', 'running') AND waiting_for IS NULL
       AND (heartbeat_at IS NULL OR heartbeat_at < $1) ORDER BY created_at LIMIT 100`,
    [new Date(Date.now() - staleMs).toISOString()],
  );
  return rows.map((r) => r.id);
}

/** Takes one orphan over; false when another process took it first. */
export async function claim(pool: Pool, id: string, staleMs: number): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE executions SET heartbeat_at = $3 WHERE id = $1 AND status IN ('queued', 'running') AND waiting_for IS NULL
       AND (heartbeat_at IS NULL OR heartbeat_at < $2)`,
    [id, new Date(Date.now() - staleMs).toISOString(), utc()],
  );
  return rowCount === 1;
}

/** Takes a human's answer once: false when the run was not (or no longer) waiting. */
export async function takeAnswer(pool: Pool, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE executions SET waiting_for = NULL, heartbeat_at = $2 WHERE id = $1 AND status = 'running' AND waiting_for IS NOT NULL`,
    [id, utc()],
  );
  return rowCount === 1;
}
