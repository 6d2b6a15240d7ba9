// Observer ingest over HTTP with autocannon, acknowledged after COMMIT:
//  - batched: POST /api/v1/logs/ingest with {entries: [1000 lines]} — target ≥ 50,000 lines/s; seed-shaped
//    lines, then lines that each carry a new event_id (Smith's reporter sends them, for exactly-once)
//  - single:  POST /api/v1/logs/ingest with one seed-shaped entry — target ≥ 3,000 req/s, p99 < 25 ms
// Run from the repository root: npm run observer:ingest -w @kayos/bench
import autocannon from "autocannon";
import pg from "pg";
import { benchDatabase, fmt, KEY, startObserverProcess } from "./setup";

const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);

const { url, stop } = await benchDatabase("kayos_bench_observer_ingest");
const { base, child } = await startObserverProcess(url);

const line = (i: number, session: string) => ({
  session_id: session,
  log_line: `[pty] npm test -- --run src/module-${i % 97}.test.ts  ✓ 12 passed (${i})`,
  timestamp: new Date(Date.UTC(2026, 10, 24, 10, 0, 0, i)).toISOString(),
  level: i % 50 === 0 ? "warn" : "info",
  source: "smith",
  attributes: { execution_id: "exec-1", stream: "stdout" },
});
const batchBody = JSON.stringify({ entries: Array.from({ length: BATCH }, (_, i) => line(i, `bench-batch-${i % 20}`)) });
// Every request gets new event ids: "@@" is replaced by a request counter.
const idsTemplate = JSON.stringify({ entries: Array.from({ length: BATCH }, (_, i) => ({ ...line(i, `bench-ids-${i % 20}`), event_id: `ev-@@-${i}` })) });
let request = 0;
const singleBody = JSON.stringify(line(1, "bench-single"));

async function run(title: string, opts: Omit<autocannon.Options, "url">) {
  const result = await autocannon({ url: `${base}/api/v1/logs/ingest`, method: "POST", duration: DURATION, headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, ...opts });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${title}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

// Warm-up (JIT, connection pool, caches).
await run("warm-up", { connections: 4, body: batchBody, duration: 3 });

const batched = await run("batched", { connections: 8, pipelining: 1, body: batchBody });
const withIds = await run("batched with event ids", {
  connections: 8,
  pipelining: 1,
  requests: [{ setupRequest: (req) => ({ ...req, body: idsTemplate.replaceAll("@@", String(request++)) }) }],
});
const single = await run("single", { connections: 64, pipelining: 1, body: singleBody });

const db = new pg.Client({ connectionString: url });
await db.connect();
const stored = Number((await db.query("SELECT COUNT(*) FROM log_entries")).rows[0].count);
await db.end();

const linesPerSec = (batched.requests.total * BATCH) / DURATION;
const idLinesPerSec = (withIds.requests.total * BATCH) / DURATION;
console.log(`\nObserver ingest — autocannon ${DURATION}s per run, loopback, observer in a child process, PostgreSQL ${process.env.BENCH_DATABASE_URL ? "(given)" : "(embedded)"}`);
console.log(`batched  ${BATCH} lines/request, 8 connections: ${fmt(batched.requests.average)} req/s -> ${fmt(linesPerSec)} lines/s (target 50,000: ${fmt(linesPerSec / 50_000, 2)}x), latency p50 ${batched.latency.p50} ms, p99 ${batched.latency.p99} ms`);
console.log(`batched  ${BATCH} lines/request, each with a new event_id, 8 connections: ${fmt(withIds.requests.average)} req/s -> ${fmt(idLinesPerSec)} lines/s (target 50,000: ${fmt(idLinesPerSec / 50_000, 2)}x), latency p50 ${withIds.latency.p50} ms, p99 ${withIds.latency.p99} ms`);
console.log(`single   1 line/request, 64 connections, keep-alive: ${fmt(single.requests.average)} req/s (target 3,000: ${fmt(single.requests.average / 3000, 2)}x), latency p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms (target < 25 ms)`);
console.log(`rows committed: ${fmt(stored)} (every answer was sent after its COMMIT)`);

child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
await stop();
