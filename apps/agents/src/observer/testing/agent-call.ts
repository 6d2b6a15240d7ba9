// One usage row of an agent's call (Nexus), in its own session: gives an organization a row before a
// transcript import, so that the import goes in batches that ask the table instead of streaming.
import type { Pool } from "../store/db";

/** The session the row is in (left out when comparing the import's per-session totals). */
export const AGENT_SESSION = "agent-session";

export async function storeAgentCall(pool: Pool, org: string) {
  await pool.query(`INSERT INTO usage_events (organization_id, event_id, session_id, source, model, "timestamp") VALUES ($1, 'agent-call', $2, 'nexus', 'claude-sonnet-4-6', now())`, [org, AGENT_SESSION]);
}
