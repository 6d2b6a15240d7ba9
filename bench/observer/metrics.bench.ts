// Session metrics among 1,000,000 stored log lines: 1,000 sessions of 1,000 lines (plus 50 usage events
// each, and one 100,000-line session among them), then GET /api/v1/analytics/metrics/{id} over HTTP
// for random sessions. Target: p50 < 50 ms. Run: npm run observer:metrics -w @kayos/bench
import pg from "pg";
import { benchDatabase, fmt, KEY, startObserverProcess } from "./setup";

const SESSIONS = 1000;
const { url, stop } = await benchDatabase("kayos_bench_observer_metrics");
const db = new pg.Client({ connectionString: url });
await db.connect();
const t = performance.now();
await db.query(`INSERT INTO log_entries (organization_id, session_id, level, source, log_line, attributes, "timestamp")
  SELECT 'org_bench', 'sess-' || (g % ${SESSIONS}), CASE WHEN g % 97 = 0 THEN 'error' ELSE 'info' END, 'smith',
         'line ' || g || ' of a realistic-length terminal output line from a coding agent run', NULL,
         timestamp '2026-11-01' + (g / ${SESSIONS}) * interval '2 seconds'
  FROM generate_series(1, ${1_000_000 - 100_000}) g`);
await db.query(`INSERT INTO log_entries (organization_id, session_id, level, source, log_line, "timestamp")
  SELECT 'org_bench', 'sess-big', 'info', 'smith', 'big session line ' || g, timestamp '2026-11-01' + g * interval '100 ms'
  FROM generate_series(1, 100000) g`);
await db.query(`INSERT INTO usage_events (organization_id, session_id, event_id, source, model, input_tokens, output_tokens,
    cache_write_5m_tokens, cache_read_tokens, cost_usd, price_version, tool_calls, "timestamp")
  SELECT 'org_bench', 'sess-' || (g % ${SESSIONS}), 'ev-' || g, 'claude-code', 'claude-sonnet-4-5', 100, 500, 2000, 40000, 0.02, '2026-11-24.1',
         jsonb_build_object('t' || g, CASE WHEN g % 3 = 0 THEN 'Read' ELSE 'Edit' END), timestamp '2026-11-01' + (g / ${SESSIONS}) * interval '30 seconds'
  FROM generate_series(1, ${SESSIONS * 50}) g`);
await db.query("VACUUM ANALYZE log_entries");
await db.query("VACUUM ANALYZE usage_events");
const rows = Number((await db.query("SELECT COUNT(*) FROM log_entries")).rows[0].count);
const loadS = (performance.now() - t) / 1000;
await db.end();

const { base, child } = await startObserverProcess(url);
const get = async (session: string) => {
  const s = performance.now();
  const res = await fetch(`${base}/api/v1/analytics/metrics/${session}`, { headers: { authorization: `Bearer ${KEY}` } });
  const body = (await res.json()) as { log_lines: number };
  if (res.status !== 200 || body.log_lines < 900) throw new Error(`metrics for ${session}: ${res.status}`);
  return performance.now() - s;
};
for (let i = 0; i < 20; i++) await get(`sess-${i}`);
const times: number[] = [];
for (let i = 0; i < 300; i++) times.push(await get(`sess-${Math.floor(Math.random() * SESSIONS)}`));
const big: number[] = [];
for (let i = 0; i < 10; i++) big.push(await get("sess-big"));
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

console.log(`\nObserver metrics — ${fmt(rows)} log lines + ${fmt(SESSIONS * 50)} usage events stored (loaded in ${fmt(loadS, 1)} s); sequential HTTP GETs on loopback`);
console.log(`1,000-line session (300 random): p50 ${fmt(q(times, 0.5), 1)} ms, p90 ${fmt(q(times, 0.9), 1)} ms, p99 ${fmt(q(times, 0.99), 1)} ms (target p50 < 50 ms: ${fmt(50 / q(times, 0.5), 1)}x under)`);
console.log(`100,000-line session (10 runs): p50 ${fmt(q(big, 0.5), 1)} ms`);
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
await stop();
