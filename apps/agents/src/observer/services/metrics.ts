// Per-session metrics, derived on every read from the stored events (logs, usage, snapshots).
import type { SessionMetrics } from "@kayos/contracts";
import { HttpError } from "../../shared/errors";
import { findPrice } from "./pricing";
import type { ObserverContext } from "../context";
import { TOTALS_SQL, withTotal, type TotalsRow } from "../store/usage";
import { sessionCodeChanges } from "./snapshots";

const IDLE_GAP_S = 300; // a pause longer than this between events is not active time
const MAX_TURNS = 500;

export async function sessionMetrics(ctx: ObserverContext, org: string, session: string): Promise<SessionMetrics> {
  const args = [org, session];
  const [logs, totals, models, tools, timing, turns, code] = await Promise.all([
    ctx.pool.query<{ lines: number; errors: number }>(
      `SELECT COUNT(*)::int AS lines, COUNT(*) FILTER (WHERE level IN ('error', 'fatal'))::int AS errors
       FROM log_entries WHERE organization_id = $1 AND session_id = $2`,
      args,
    ),
    ctx.pool.query<TotalsRow & { calls: number; errors: number; versions: string[] }>(
      `SELECT COUNT(*)::int AS calls, COUNT(*) FILTER (WHERE is_error)::int AS errors,
         COALESCE(array_agg(DISTINCT price_version) FILTER (WHERE price_version IS NOT NULL), '{}') AS versions, ${TOTALS_SQL}
       FROM usage_events WHERE organization_id = $1 AND session_id = $2`,
      args,
    ),
    ctx.pool.query<TotalsRow & { model: string; calls: number }>(
      `SELECT model, COUNT(*)::int AS calls, ${TOTALS_SQL} FROM usage_events
       WHERE organization_id = $1 AND session_id = $2 GROUP BY model ORDER BY SUM(cost_usd) DESC NULLS LAST, model`,
      args,
    ),
    ctx.pool.query<{ name: string; calls: number }>(
      `SELECT t.value AS name, COUNT(*)::int AS calls FROM usage_events u, jsonb_each_text(u.tool_calls) t
       WHERE u.organization_id = $1 AND u.session_id = $2 AND u.tool_calls IS NOT NULL GROUP BY t.value ORDER BY calls DESC`,
      args,
    ),
    // Wall time spans all events; active time sums the gaps between consecutive events, up to IDLE_GAP_S each.
    // A model call's timestamp is its end: its start (end − latency) counts too, so one call lasts its latency.
    ctx.pool.query<{ first: Date | null; last: Date | null; active: number | null }>(
      `WITH ev AS (
         SELECT "timestamp" AS t FROM log_entries WHERE organization_id = $1 AND session_id = $2
         UNION ALL SELECT "timestamp" FROM usage_events WHERE organization_id = $1 AND session_id = $2
         UNION ALL SELECT "timestamp" - latency_ms * interval '1 millisecond' FROM usage_events
           WHERE organization_id = $1 AND session_id = $2 AND latency_ms IS NOT NULL),
       gaps AS (SELECT t, EXTRACT(EPOCH FROM t - lag(t) OVER (ORDER BY t)) AS gap FROM ev)
       SELECT MIN(t) AS first, MAX(t) AS last, COALESCE(SUM(LEAST(gap, ${IDLE_GAP_S})) FILTER (WHERE gap IS NOT NULL), 0)::float8 AS active FROM gaps`,
      args,
    ),
    ctx.pool.query<TotalsRow & { timestamp: Date; model: string; source: string; latency_ms: number | null; tools: string[] | null }>(
      `SELECT "timestamp", model, source, latency_ms, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
         cache_read_tokens, COALESCE(cost_usd, 0) AS cost_usd,
         (SELECT array_agg(value) FROM jsonb_each_text(tool_calls)) AS tools
       FROM usage_events WHERE organization_id = $1 AND session_id = $2 ORDER BY "timestamp", event_id LIMIT ${MAX_TURNS + 1}`,
      args,
    ),
    sessionCodeChanges(ctx, org, session),
  ]);
  const l = logs.rows[0]!;
  const u = totals.rows[0]!;
  const t = timing.rows[0]!;
  if (l.lines === 0 && u.calls === 0 && code.snapshots === 0) {
    const { rows } = await ctx.pool.query(`SELECT 1 FROM snapshots WHERE organization_id = $1 AND session_id = $2 LIMIT 1`, args);
    if (rows.length === 0) throw new HttpError(404, `Session ${session} not found`);
  }
  const usage = withTotal({
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_write_5m_tokens: u.cache_write_5m_tokens,
    cache_write_1h_tokens: u.cache_write_1h_tokens,
    cache_read_tokens: u.cache_read_tokens,
    cost_usd: u.cost_usd,
  });
  const wall = t.first && t.last ? (t.last.getTime() - t.first.getTime()) / 1000 : 0;
  return {
    session_id: session,
    tokens: usage.total_tokens,
    files: code.files_changed,
    duration: wall,
    usage,
    models: models.rows.map(withTotal),
    tool_calls: Object.fromEntries(tools.rows.map((r) => [r.name, r.calls])),
    errors: l.errors + u.errors,
    log_lines: l.lines,
    files_changed: code.files_changed,
    lines_added: code.lines_added,
    lines_removed: code.lines_removed,
    snapshots: code.snapshots,
    ...(code.unavailable ? { code_changes_unavailable: code.unavailable } : {}),
    wall_time_s: wall,
    active_time_s: Math.round((t.active ?? 0) * 1000) / 1000,
    first_event_at: t.first?.toISOString() ?? null,
    last_event_at: t.last?.toISOString() ?? null,
    price_versions: u.versions,
    // A model counts as unpriced when nobody priced it: not the table, not the reporter (cost_usd).
    unpriced_models: models.rows.filter((m) => Number(m.cost_usd) === 0 && !findPrice(m.model)).map((m) => m.model),
    turns: turns.rows.slice(0, MAX_TURNS).map((r) => ({
      ...withTotal(r),
      timestamp: r.timestamp.toISOString(),
      model: r.model,
      source: r.source,
      latency_ms: r.latency_ms,
      tools: r.tools ?? [],
    })),
    turns_truncated: turns.rows.length > MAX_TURNS,
  };
}
