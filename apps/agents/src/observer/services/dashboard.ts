// The organization's dashboard over a time range: sessions, tokens and cost per day and per model,
// top agents by cost and by failures, error rate. Derived from the stored events.
import type { Dashboard } from "@kayos/contracts";
import type { ObserverContext } from "../context";
import { TOTALS_SQL, withTotal, type TotalsRow } from "../store/usage";

export async function dashboard(ctx: ObserverContext, org: string, since: Date, until: Date, top: number): Promise<Dashboard> {
  const args = [org, since, until];
  const range = `organization_id = $1 AND "timestamp" >= $2 AND "timestamp" < $3`;
  const [totals, perDay, perModel, byCost, byFailures, logs] = await Promise.all([
    ctx.pool.query<TotalsRow & { calls: number; errors: number }>(
      `SELECT COUNT(*)::int AS calls, COUNT(*) FILTER (WHERE is_error)::int AS errors, ${TOTALS_SQL} FROM usage_events WHERE ${range}`,
      args,
    ),
    ctx.pool.query<TotalsRow & { day: string; sessions: number }>(
      `SELECT to_char(date_trunc('day', "timestamp" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, COUNT(DISTINCT session_id)::int AS sessions, ${TOTALS_SQL}
       FROM usage_events WHERE ${range} GROUP BY 1 ORDER BY 1`,
      args,
    ),
    ctx.pool.query<TotalsRow & { model: string; calls: number }>(
      `SELECT model, COUNT(*)::int AS calls, ${TOTALS_SQL} FROM usage_events WHERE ${range} GROUP BY model ORDER BY SUM(cost_usd) DESC NULLS LAST`,
      args,
    ),
    ctx.pool.query<{ agent_id: string; cost_usd: number; sessions: number }>(
      `SELECT agent_id, COALESCE(SUM(cost_usd), 0)::float8 AS cost_usd, COUNT(DISTINCT session_id)::int AS sessions
       FROM usage_events WHERE ${range} AND agent_id IS NOT NULL GROUP BY agent_id ORDER BY 2 DESC LIMIT $4`,
      [...args, top],
    ),
    ctx.pool.query<{ agent_id: string; failures: number }>(
      `SELECT agent_id, COUNT(*)::int AS failures FROM (
         SELECT agent_id FROM usage_events WHERE ${range} AND agent_id IS NOT NULL AND is_error
         UNION ALL
         SELECT attributes->>'agent_id' FROM log_entries WHERE ${range} AND level IN ('error', 'fatal') AND attributes ? 'agent_id') f
       GROUP BY agent_id ORDER BY 2 DESC LIMIT $4`,
      [...args, top],
    ),
    ctx.pool.query<{ lines: number; errors: number; sessions: number }>(
      `SELECT COUNT(*)::int AS lines, COUNT(*) FILTER (WHERE level IN ('error', 'fatal'))::int AS errors,
         (SELECT COUNT(*)::int FROM (SELECT session_id FROM log_entries WHERE ${range} UNION SELECT session_id FROM usage_events WHERE ${range}) s) AS sessions
       FROM log_entries WHERE ${range}`,
      args,
    ),
  ]);
  const t = totals.rows[0]!;
  const l = logs.rows[0]!;
  const events = t.calls + l.lines;
  const errors = t.errors + l.errors;
  return {
    organization_id: org,
    since: since.toISOString(),
    until: until.toISOString(),
    sessions: l.sessions,
    usage: withTotal({
      input_tokens: t.input_tokens,
      output_tokens: t.output_tokens,
      cache_write_5m_tokens: t.cache_write_5m_tokens,
      cache_write_1h_tokens: t.cache_write_1h_tokens,
      cache_read_tokens: t.cache_read_tokens,
      cost_usd: t.cost_usd,
    }),
    log_lines: l.lines,
    errors,
    error_rate: events === 0 ? 0 : errors / events,
    per_day: perDay.rows.map(withTotal),
    per_model: perModel.rows.map(withTotal),
    top_agents_by_cost: byCost.rows.map((r) => ({ ...r, cost_usd: Math.round(r.cost_usd * 1e6) / 1e6 })),
    top_agents_by_failures: byFailures.rows,
  };
}
