// Claude Code transcript import against `ccusage session --json --offline` on the same ~100 MB corpus
// of generated transcripts (testing/claude-corpus.ts): both times, the ratio, and equal token totals
// per session. ccusage 20 is a native binary behind a Node launcher; ccusage 18.0.11, its last
// JavaScript release that runs on Node 20, is timed too, for context. Run: npm run observer:transcripts -w @kayos/bench
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { importFolderToStore, parseFolder, totalsBySession } from "@kayos/agents/observer/services/claude-folder";
import { AGENT_SESSION, storeAgentCall } from "@kayos/agents/observer/testing/agent-call";
import { generateCorpus } from "@kayos/agents/observer/testing/claude-corpus";
import { createPool } from "@kayos/agents/observer/store/db";
import { benchDatabase, fmt } from "./setup";

const dir = process.env.BENCH_CORPUS ?? path.join(os.tmpdir(), "kayos-bench-claude-corpus");
if (!existsSync(path.join(dir, "projects"))) {
  mkdirSync(dir, { recursive: true });
  const t = performance.now();
  const { files, bytes } = generateCorpus({ dir, sessions: 1040, turnsPerSession: 30 });
  console.log(`generated ${files} files, ${fmt(bytes / 1e6, 1)} MB in ${fmt((performance.now() - t) / 1000, 1)} s`);
}
const packageDir = (name: string) => path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
const ccusage = path.join(packageDir("ccusage"), "src", "cli.js");
const ccusageJs = path.join(packageDir("ccusage-js"), "dist", "index.js");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Warm the page cache for both; this first run in the process (its code not yet optimised) is printed too.
let coldMs = performance.now();
parseFolder(dir);
coldMs = performance.now() - coldMs;
function runCcusage(cli: string) {
  const t = performance.now();
  const out = execFileSync(process.execPath, [cli, "session", "--json", "--offline"], { env: { ...process.env, CLAUDE_CONFIG_DIR: dir, HOME: dir }, maxBuffer: 1 << 30 }).toString();
  return { ms: performance.now() - t, json: JSON.parse(out) as unknown };
}
runCcusage(ccusage); // its first run (binary and files not yet cached) is not timed
type CcSession = { period: string; inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalTokens: number };

const { url, stop } = await benchDatabase("kayos_bench_observer_transcripts");
const pool = createPool(url);
// Each import is for a new organization (so every response is new, as in a first import), into a
// table that holds another organization's rows and has statistics (as autovacuum keeps them). An
// organization's first import streams its rows; the same folder into an organization that has a row
// already (its agents' calls, say) goes in batches that ask the table, timed too.
await importFolderToStore(pool, "org_bench_before", dir);
await pool.query("ANALYZE usage_events");

// Rounds interleave ccusage and ours, so that the machine's swings (this VM's CPU time for the same
// work moves by a third between minutes) fall on both alike; medians are compared.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ccTimes: number[] = [];
const ourTimes: number[] = [];
const importTimes: number[] = [];
const batchTimes: number[] = [];
let cc: CcSession[] = [];
let { stats } = parseFolder(dir);
let ours = totalsBySession([]);
for (let round = 0; round < ROUNDS; round++) {
  const run = runCcusage(ccusage);
  ccTimes.push(run.ms);
  cc = (run.json as { session: CcSession[] }).session;
  let t = performance.now();
  const parsed = parseFolder(dir);
  ours = totalsBySession(parsed.responses);
  ourTimes.push(performance.now() - t);
  stats = parsed.stats;
  t = performance.now();
  await importFolderToStore(pool, `org_bench_${round}`, dir);
  importTimes.push(performance.now() - t);
  await storeAgentCall(pool, `org_bench_rows_${round}`);
  t = performance.now();
  const { streamed } = await importFolderToStore(pool, `org_bench_rows_${round}`, dir);
  if (streamed > 0) throw new Error("an import into an organization with rows streamed");
  batchTimes.push(performance.now() - t);
}
const ccJs = runCcusage(ccusageJs);
const ccJsTotal = (ccJs.json as { totals: { totalTokens: number } }).totals.totalTokens;
let mismatches = 0;
for (const s of cc) {
  const o = ours.get(s.period);
  if (!o || o.input !== s.inputTokens || o.output !== s.outputTokens || o.cacheCreate !== s.cacheCreationTokens || o.cacheRead !== s.cacheReadTokens) mismatches++;
}
const importMs = median(importTimes);
/** Sessions whose stored token totals differ from the parse's (the agents' call added to the batch org aside). */
async function storedMismatches(org: string) {
  const { rows } = await pool.query(
    `SELECT session_id, SUM(input_tokens + output_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens) AS total FROM usage_events WHERE organization_id = $1 AND session_id <> $2 GROUP BY session_id`,
    [org, AGENT_SESSION],
  );
  return rows.filter((r: { session_id: string; total: number }) => ours.get(r.session_id)?.total !== Number(r.total)).length + Math.abs(rows.length - ours.size);
}
const dbMismatches = (await storedMismatches(`org_bench_${ROUNDS - 1}`)) + (await storedMismatches(`org_bench_rows_${ROUNDS - 1}`));
await pool.end();
await stop();

const ccMs = median(ccTimes);
const ourMs = median(ourTimes);
const ccTotal = cc.reduce((sum, x) => sum + x.totalTokens, 0);
const list = (xs: number[]) => xs.map((x) => fmt(x)).join(", ");
console.log(
  `\nClaude Code transcripts — ${cc.length} sessions, ${fmt(stats.lines)} lines, ${fmt(stats.usageLines)} usage lines -> ${fmt([...ours.values()].reduce((n, o) => n + o.responses, 0))} responses (skipped: ${stats.malformed} malformed, ${stats.synthetic} synthetic); ${ROUNDS} interleaved rounds`,
);
console.log(`ccusage 20.0.24 session --json --offline (whole process: Node launcher + native binary; median): ${fmt(ccMs)} ms (rounds: ${list(ccTimes)})`);
console.log(
  `ccusage 18.0.11 (last JavaScript release that runs on Node 20; for context, whole process, once): ${fmt(ccJs.ms)} ms; its token total differs from ccusage 20's by ${fmt(((ccJsTotal - ccTotal) / ccTotal) * 100, 1)}%`,
);
console.log(
  `observer parse + de-duplicate + per-session tokens and cost (in process, warm; median): ${fmt(ourMs)} ms -> ${fmt(ccMs / ourMs, 2)}x ccusage; the process's first parse: ${fmt(coldMs)} ms -> ${fmt(ccMs / coldMs, 2)}x`,
);
console.log(
  `observer full import into PostgreSQL (importFolderToStore, an organization's first import: parse, de-duplicate in memory, every response streamed through one binary COPY while the next files are parsed, committed; median): ${fmt(importMs)} ms (rounds: ${list(importTimes)}) -> ${fmt(ccMs / importMs, 2)}x ccusage 20, ${fmt(ccJs.ms / importMs, 2)}x ccusage 18`,
);
const batchMs = median(batchTimes);
console.log(
  `observer import into an organization with rows already (batches of 2,000 that ask the table; median): ${fmt(batchMs)} ms (rounds: ${list(batchTimes)}) -> ${fmt(ccMs / batchMs, 2)}x ccusage 20`,
);
console.log(
  `per-session token totals equal to ccusage: ${mismatches === 0 ? "yes" : `NO (${mismatches} sessions differ)`} (${cc.length} sessions); stored totals equal (both imports): ${dbMismatches === 0 ? "yes" : `NO (${dbMismatches})`}`,
);
if (process.env.BENCH_CLEAN) rmSync(dir, { recursive: true, force: true });
