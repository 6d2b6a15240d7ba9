import type { SessionMetrics, TranscriptImportResult } from "@kayos/contracts";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFolderToStore, transcriptFiles } from "./services/claude-folder";
import { createPool } from "./store/db";
import { AGENT_SESSION, storeAgentCall } from "./testing/agent-call";
import { generateCorpus } from "./testing/claude-corpus";
import { KEY_B, startObserver } from "./test-helpers";

let o: Awaited<ReturnType<typeof startObserver>>;
let dir: string;
beforeAll(async () => {
  o = await startObserver();
  dir = mkdtempSync(path.join(os.tmpdir(), "kayos-cc-corpus-"));
  generateCorpus({ dir, sessions: 24, turnsPerSession: 20, seed: 7 });
});
afterAll(async () => {
  await o.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ccusageBin = path.join(path.dirname(createRequire(import.meta.url).resolve("ccusage/package.json")), "src", "cli.js");

interface CcSession {
  period: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

describe("Claude Code transcripts over HTTP", { timeout: 30_000 }, () => {
  it("imports a generated corpus file by file with per-session token totals equal to ccusage's", async () => {
    const cc = JSON.parse(
      execFileSync(process.execPath, [ccusageBin, "session", "--json", "--offline"], { env: { ...process.env, CLAUDE_CONFIG_DIR: dir, HOME: dir } }).toString(),
    ) as { session: CcSession[] };
    let imported = 0;
    for (const file of transcriptFiles(dir)) {
      const res = await o.call<TranscriptImportResult>("POST", "/api/v1/transcripts/claude-code", { raw: readFileSync(file, "utf8"), type: "application/x-ndjson" });
      expect(res.status).toBe(200);
      imported += res.body.responses;
    }
    expect(imported).toBeGreaterThan(0);
    expect(cc.session.length).toBe(24);
    for (const s of cc.session) {
      const m = (await o.call<SessionMetrics>("GET", `/api/v1/analytics/metrics/${s.period}`)).body;
      expect({ session: s.period, ...m.usage, cache_write: m.usage.cache_write_5m_tokens + m.usage.cache_write_1h_tokens }).toMatchObject({
        session: s.period,
        input_tokens: s.inputTokens,
        output_tokens: s.outputTokens,
        cache_write: s.cacheCreationTokens,
        cache_read_tokens: s.cacheReadTokens,
        total_tokens: s.totalTokens,
      });
    }
  });

  it("re-importing the same files changes nothing", async () => {
    const file = transcriptFiles(dir)[0]!;
    const session = path.basename(file, ".jsonl");
    const before = (await o.call<SessionMetrics>("GET", `/api/v1/analytics/metrics/${session}`)).body.usage;
    const res = await o.call<TranscriptImportResult>("POST", "/api/v1/transcripts/claude-code", { raw: readFileSync(file, "utf8"), type: "application/x-ndjson" });
    expect(res.body.stored).toBe(0);
    expect((await o.call<SessionMetrics>("GET", `/api/v1/analytics/metrics/${session}`)).body.usage).toEqual(before);
  });

  it("imports a growing file incrementally by byte offset, counting partial streaming lines once", async () => {
    const ts = "2026-11-22T10:00:00.000Z";
    const l = (out: number, k: number) =>
      JSON.stringify({ type: "assistant", sessionId: "live-1", requestId: "req_live", timestamp: ts, isSidechain: false, message: { id: "msg_live", model: "claude-opus-4-5", content: [{ type: "tool_use", id: `t${k}`, name: k ? "Edit" : "Read", input: {} }], usage: { input_tokens: 5, output_tokens: out, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } } });
    const text = Buffer.from(`${l(1, 0)}\n${l(300, 1)}\n`);
    const cut = text.indexOf("\n") + 30;
    const first = await o.call<TranscriptImportResult>("POST", "/api/v1/transcripts/claude-code?streaming=true&offset=0", { raw: text.subarray(0, cut).toString(), type: "application/x-ndjson" });
    expect(first.body.next_offset).toBe(text.indexOf("\n") + 1);
    expect(first.body.sessions[0]).toMatchObject({ session_id: "live-1", output_tokens: 1 });
    const rest = text.subarray(first.body.next_offset).toString();
    const second = await o.call<TranscriptImportResult>("POST", `/api/v1/transcripts/claude-code?streaming=true&offset=${first.body.next_offset}`, { raw: rest, type: "application/x-ndjson" });
    expect(second.body.next_offset).toBe(text.length);
    expect(second.body.sessions[0]).toMatchObject({ session_id: "live-1", output_tokens: 300, input_tokens: 5, responses: 1 });
    const m = (await o.call<SessionMetrics>("GET", "/api/v1/analytics/metrics/live-1")).body;
    expect(m.tool_calls).toEqual({ Read: 1, Edit: 1 });
  });

  it("keeps imported transcripts to the importing organization", async () => {
    expect((await o.call("GET", "/api/v1/analytics/metrics/live-1", { key: KEY_B })).status).toBe(404);
  });

  it("imports a whole folder with the CLI, to the same totals", async () => {
    const cli = path.join(path.dirname(new URL(import.meta.url).pathname), "cli", "import-claude.ts");
    // Not execFileSync: the server answering the CLI runs in this process.
    const { stdout: out } = await promisify(execFile)(process.execPath, ["--import", "tsx", cli, dir, "--url", o.base, "--key", KEY_B]);
    expect(out).toMatch(/Imported \d+ files/);
    const session = path.basename(transcriptFiles(dir)[3]!, ".jsonl");
    const a = (await o.call<SessionMetrics>("GET", `/api/v1/analytics/metrics/${session}`)).body.usage;
    const b = (await o.call<SessionMetrics>("GET", `/api/v1/analytics/metrics/${session}`, { key: KEY_B })).body.usage;
    expect(b).toEqual(a);
  });

  it("imports a whole folder straight into the database with the CLI (streamed into an organization without rows, in batches into one with rows), to the same totals", async () => {
    const cli = path.join(path.dirname(new URL(import.meta.url).pathname), "cli", "import-claude.ts");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", cli, dir, "--database-url", o.url, "--organization", "org_direct"]);
    expect(stdout).toMatch(/Imported \d+ new responses/);
    const totals = async (org: string) =>
      (await o.db.$queryRawUnsafe<{ session_id: string; total: bigint }[]>(
        `SELECT session_id, SUM(input_tokens + output_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens) AS total FROM usage_events WHERE organization_id = $1 GROUP BY session_id ORDER BY session_id`,
        org,
      )).map((r) => [r.session_id, Number(r.total)]);
    const direct = await totals("org_direct");
    expect(direct.length).toBeGreaterThanOrEqual(24);
    // The same as the file-by-file HTTP import of this folder (org_b, by the CLI above).
    expect(direct).toEqual(await totals("org_b"));
    // Small batches into an organization with a row already (an agent's call): copies of one response
    // in files of different batches meet in the store, not in memory.
    const pool = createPool(o.url, 2);
    try {
      await storeAgentCall(pool, "org_small_batches");
      const seen: [number, number][] = [];
      const { streamed } = await importFolderToStore(pool, "org_small_batches", dir, { batch: 40, onFile: (done, total) => seen.push([done, total]) });
      expect(streamed).toBe(0);
      // Progress for the CLI's line: once per file, in order.
      const files = transcriptFiles(dir).length;
      expect(seen).toEqual(Array.from({ length: files }, (_, i) => [i + 1, files]));
    } finally {
      await pool.end();
    }
    expect((await totals("org_small_batches")).filter(([session]) => session !== AGENT_SESSION)).toEqual(direct);
    // Again: nothing new.
    const again = await promisify(execFile)(process.execPath, ["--import", "tsx", cli, dir, "--database-url", o.url, "--organization", "org_direct"]);
    expect(again.stdout).toMatch(/Imported 0 new responses/);
    expect(await totals("org_direct")).toEqual(direct);
  });

  it("skips lines with values PostgreSQL cannot hold and imports the rest (no 500)", async () => {
    const usage = (session: string, input: number, at = "2026-11-20T10:00:00.000Z") =>
      JSON.stringify({ type: "assistant", sessionId: session, requestId: `req_${session.length}_${input}`, timestamp: at, message: { id: `msg_${input}_${at.length}`, model: "claude-sonnet-4-5-20250929", content: [], usage: { input_tokens: input, output_tokens: 5 } } });
    const lines = [usage("odd-1", 1e20), usage("odd\u0000x", 7), usage("odd-1", 8, "+275760-09-13T00:00:00.000Z"), usage("o".repeat(201), 9), usage("odd-1", 10)];
    const res = await o.call<TranscriptImportResult>("POST", "/api/v1/transcripts/claude-code", { raw: lines.join("\n") + "\n", type: "application/x-ndjson" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ responses: 1, skipped: { invalid: 4 } });
    expect(res.body.sessions).toEqual([expect.objectContaining({ session_id: "odd-1", input_tokens: 10, output_tokens: 5 })]);
  });

  it("refuses a transcript that is not ndjson text", async () => {
    const res = await o.call<TranscriptImportResult>("POST", "/api/v1/transcripts/claude-code", { body: { a: 1 } });
    expect(res.status).toBe(415);
  });
});
