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
function timeCcusage(cli: string) {
  const times: number[] = [];
  let out = "";
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    out = execFileSync(process.execPath, [cli, "session", "--json", "--offline"], { env: { ...process.env, CLAUDE_CONFIG_DIR: dir, HOME: dir }, maxBuffer: 1 << 30 }).toString();
    times.push(performance.now() - t);
  }
  return { ms: median(times), json: JSON.parse(out) as unknown };
}
const cc20 = timeCcusage(ccusage);
const cc = cc20.json as { session: { period: string; inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalTokens: number }[] };
const ccJs = timeCcusage(ccusageJs);
const ccJsTotal = (ccJs.json as { totals: { totalTokens: number } }).totals.totalTokens;
const ourTimes: number[] = [];
let parsed = parseFolder(dir);
let ours = totalsBySession(parsed.responses);
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  parsed = parseFolder(dir);
  ours = totalsBySession(parsed.responses);
  ourTimes.push(performance.now() - t);
}
let mismatches = 0;
for (const s of cc.session) {
  const o = ours.get(s.period);
  if (!o || o.input !== s.inputTokens || o.output !== s.outputTokens || o.cacheCreate !== s.cacheCreationTokens || o.cacheRead !== s.cacheReadTokens) mismatches++;
}

const { url, stop } = await benchDatabase("kayos_bench_observer_transcripts");
const pool = createPool(url);
// Three imports, each for a new organization (so every response is new, as in a first import), into
// a table that holds another organization's rows and has statistics (as autovacuum keeps them).
await importFolderToStore(pool, "org_bench_before", dir);
await pool.query("ANALYZE usage_events");
const importTimes: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await importFolderToStore(pool, `org_bench_${i}`, dir);
  importTimes.push(performance.now() - t);
}
const importMs = median(importTimes);
const { rows } = await pool.query(
  `SELECT session_id, SUM(input_tokens + output_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens) AS total FROM usage_events WHERE organization_id = 'org_bench_2' GROUP BY session_id`,
);
const dbMismatches = rows.filter((r: { session_id: string; total: number }) => ours.get(r.session_id)?.total !== Number(r.total)).length;
await pool.end();
await stop();

const ccMs = cc20.ms;
const ourMs = median(ourTimes);
const ccTotal = cc.session.reduce((sum, x) => sum + x.totalTokens, 0);
console.log(
  `\nClaude Code transcripts — ${cc.session.length} sessions, ${fmt(parsed.stats.lines)} lines, ${fmt(parsed.stats.usageLines)} usage lines -> ${fmt(parsed.responses.length)} responses (skipped: ${parsed.stats.malformed} malformed, ${parsed.stats.synthetic} synthetic)`,
);
console.log(`ccusage 20.0.24 session --json --offline (whole process: Node launcher + native binary, median of 3): ${fmt(ccMs)} ms`);
console.log(
  `ccusage 18.0.11 (last JavaScript release that runs on Node 20; for context, whole process, median of 3): ${fmt(ccJs.ms)} ms; its token total differs from ccusage 20's by ${fmt(((ccJsTotal - ccTotal) / ccTotal) * 100, 1)}%`,
);
console.log(
  `observer parse + de-duplicate + per-session tokens and cost (in process, warm; median of 3): ${fmt(ourMs)} ms -> ${fmt(ccMs / ourMs, 2)}x ccusage; the process's first parse: ${fmt(coldMs)} ms -> ${fmt(ccMs / coldMs, 2)}x`,
);
console.log(
  `observer full import into PostgreSQL (importFolderToStore: parse, then COPY and upsert of every response in one transaction, overlapped; median of 3): ${fmt(importMs)} ms -> ${fmt(ccMs / importMs, 2)}x ccusage 20, ${fmt(ccJs.ms / importMs, 2)}x ccusage 18`,
);
console.log(
  `per-session token totals equal to ccusage: ${mismatches === 0 ? "yes" : `NO (${mismatches} sessions differ)`} (${cc.session.length} sessions); stored totals equal: ${dbMismatches === 0 ? "yes" : `NO (${dbMismatches})`}`,
);
if (process.env.BENCH_CLEAN) rmSync(dir, { recursive: true, force: true });
