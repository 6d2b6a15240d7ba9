// A whole folder straight into the store: the first import of an organization streams its responses
// through one COPY and de-duplicates them in memory, replacing at the end rows that later files
// changed; it must store what parsing the whole folder at once gives, and leave the connection usable
// whatever happens midway.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../store/db";
import { storeTestPool } from "../store/test-pool";
import { upsertUsage, writeUsage } from "../store/usage";
import { importFolderToStore, transcriptFiles } from "./claude-folder";
import { TranscriptAccumulator } from "./claude-transcript";

const pool = storeTestPool();
const root = mkdtempSync(path.join(os.tmpdir(), "kayos-folder-import-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Line = { id: string; request: string; out: number; sidechain?: boolean; tool?: [string, string]; at?: string };
const line = ({ id, request, out, sidechain = false, tool, at = "2026-11-20T10:00:00.000Z" }: Line) =>
  JSON.stringify({
    type: "assistant",
    sessionId: "s1",
    requestId: request,
    isSidechain: sidechain,
    timestamp: at,
    message: {
      id,
      model: "claude-sonnet-4-5-20250929",
      content: tool ? [{ type: "tool_use", id: tool[0], name: tool[1], input: {} }] : [{ type: "text", text: "…" }],
      usage: { input_tokens: 10, output_tokens: out, cache_read_input_tokens: 100 },
    },
  }) + "\n";

/**
 * Three files read in this order; with a batch of 1, each file's responses are sent before the next
 * is read, and the second file changes three of them: a larger total (the row is replaced), a new
 * tool call (merged) and a main-chain response replaying a sidechain one (the sidechain row goes).
 */
function folder(name: string) {
  const dir = path.join(root, name, "projects", "-work-app");
  mkdirSync(dir, { recursive: true });
  const T1 = "2026-11-20T10:01:00.000Z";
  writeFileSync(
    path.join(dir, "a.jsonl"),
    line({ id: "msg_A", request: "req_A", out: 5, tool: ["toolu_1", "Read"] }) +
      line({ id: "msg_B", request: "req_B1", out: 7, sidechain: true, at: T1 }) +
      line({ id: "msg_C", request: "req_C", out: 3 }),
  );
  writeFileSync(
    path.join(dir, "b.jsonl"),
    line({ id: "msg_A", request: "req_A", out: 50 }) +
      line({ id: "msg_C", request: "req_C", out: 3, tool: ["toolu_9", "Bash"] }) +
      line({ id: "msg_B", request: "req_B2", out: 8, at: T1 }) +
      line({ id: "msg_E", request: "req_E", out: 1 }),
  );
  writeFileSync(path.join(dir, "c.jsonl"), line({ id: "msg_E", request: "req_E", out: 1 }) + line({ id: "msg_F", request: "req_F", out: 2 }));
  return path.join(root, name);
}

const stored = async (org: string) =>
  (
    await pool().query(
      `SELECT event_id, session_id, model, message_id, request_id, is_sidechain, input_tokens, output_tokens, cache_write_5m_tokens,
         cache_write_1h_tokens, cache_read_tokens, fast, cost_usd, cost_source, price_version, is_error, tool_calls, "timestamp"
       FROM usage_events WHERE organization_id = $1 ORDER BY event_id`,
      [org],
    )
  ).rows;

/** The responses of the folder parsed at once (the reference). */
function parsedAtOnceRecords(dir: string) {
  const acc = new TranscriptAccumulator();
  for (const file of transcriptFiles(dir)) acc.add(readFileSync(file));
  return acc.records();
}

/** …stored for `org`. */
async function parsedAtOnce(dir: string, org: string) {
  await upsertUsage(pool(), org, parsedAtOnceRecords(dir));
  return stored(org);
}

/** Whether a COPY into usage_events waits for a lock (on a row another transaction holds). */
async function copyWaitsOnLock(on: Pool) {
  const { rows } = await on.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY usage_events %'`);
  return rows.length > 0;
}

describe("importing a folder straight into the store", () => {
  it("streams a first import: the rows of the folder parsed at once, also when later files change responses already sent", async () => {
    const dir = folder("changes");
    const result = await importFolderToStore(pool(), "org_stream", dir, { batch: 1 });
    const rows = await stored("org_stream");
    expect(rows).toEqual(await parsedAtOnce(dir, "org_stream_reference"));
    // Streamed, every one of them (a failure to replace the changed rows would fall back to batches).
    expect(result).toMatchObject({ stored: rows.length, streamed: rows.length });
    const byId = new Map(rows.map((r) => [r.event_id as string, r]));
    expect([...byId.keys()]).toEqual(["cc:msg_A:req_A", "cc:msg_B:req_B2", "cc:msg_C:req_C", "cc:msg_E:req_E", "cc:msg_F:req_F"]);
    expect(byId.get("cc:msg_A:req_A")).toMatchObject({ output_tokens: 50, tool_calls: { toolu_1: "Read" } });
    expect(byId.get("cc:msg_C:req_C")).toMatchObject({ tool_calls: { toolu_9: "Bash" } });
    // Again: nothing new (the batch path, which asks the table).
    expect((await importFolderToStore(pool(), "org_stream", dir, { batch: 1 })).stored).toBe(0);
    expect(await stored("org_stream")).toEqual(rows);
  });

  it("goes on in batches past the responses a first import may hold, to the same rows", async () => {
    const dir = folder("held");
    // Past 3 after the second file, with the changes it made to sent rows: they are made before the batches.
    const result = await importFolderToStore(pool(), "org_held", dir, { batch: 1, holdMax: 3 });
    const rows = await stored("org_held");
    expect(rows).toEqual(await parsedAtOnce(dir, "org_held_reference"));
    // A, B2, C and E streamed, F in a batch.
    expect(result).toMatchObject({ stored: rows.length, streamed: 4 });
  });

  it("goes on in batches when another writer stores a row of the organization meanwhile, keeping the better copy", async () => {
    const dir = folder("race");
    // Another writer's transaction holds a copy of msg_F (more output) when the import starts; the
    // import's copy of it waits on that row, and fails on its key once the other commits.
    const others = createPool(pool().options.connectionString!, 2);
    const other = await others.connect();
    try {
      await other.query("BEGIN");
      const f = parsedAtOnceRecords(dir).find((r) => r.eventId === "cc:msg_F:req_F")!;
      await writeUsage(other, "org_race", (write) => write([{ ...f, output: 1_000 }]));
      const importing = importFolderToStore(pool(), "org_race", dir, { batch: 1 });
      for (let i = 0; i < 500 && !(await copyWaitsOnLock(others)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await copyWaitsOnLock(others)).toBe(true);
      await other.query("COMMIT");
      // Nothing of the stream stays: every response went in the batches.
      expect(await importing).toMatchObject({ stored: 4, streamed: 0 });
    } finally {
      other.release();
      await others.end();
    }
    const rows = await stored("org_race");
    const reference = await parsedAtOnce(dir, "org_race_reference");
    expect(rows.map((r) => r.event_id)).toEqual(reference.map((r) => r.event_id));
    expect(rows.find((r) => r.event_id === "cc:msg_F:req_F")).toMatchObject({ output_tokens: 1_000 });
    expect(rows.filter((r) => r.event_id !== "cc:msg_F:req_F")).toEqual(reference.filter((r) => r.event_id !== "cc:msg_F:req_F"));
  });

  it("imports an empty folder and a folder of malformed lines as nothing, without failing", async () => {
    const empty = path.join(root, "empty", "projects");
    mkdirSync(empty, { recursive: true });
    expect(await importFolderToStore(pool(), "org_empty", path.dirname(empty))).toMatchObject({ stored: 0, streamed: 0, stats: { lines: 0 } });
    const broken = path.join(root, "broken", "projects", "-work-app");
    mkdirSync(broken, { recursive: true });
    writeFileSync(path.join(broken, "a.jsonl"), line({ id: "msg_A", request: "req_A", out: 5 }).slice(0, 40) + "\n{\"usage\":{\n");
    const result = await importFolderToStore(pool(), "org_broken", path.dirname(path.dirname(broken)));
    expect(result).toMatchObject({ stored: 0, streamed: 0, stats: { lines: 2, usageLines: 1, malformed: 1 } });
    expect(await stored("org_broken")).toEqual([]);
  });

  it("fails saying which file went away midway, stores nothing, and leaves its connection usable", async () => {
    const dir = folder("vanishing");
    const [, , last] = transcriptFiles(dir);
    const one = createPool(pool().options.connectionString!, 1);
    try {
      const importing = importFolderToStore(one, "org_vanishing", dir, { batch: 1, onFile: (done) => done === 1 && unlinkSync(last!) });
      await expect(importing).rejects.toThrow(`ENOENT: no such file or directory, open '${last}'`);
      // The same (only) connection answers: the COPY was ended and the transaction rolled back.
      const { rows } = await one.query(`SELECT count(*)::int AS n FROM usage_events WHERE organization_id = 'org_vanishing'`);
      expect(rows[0].n).toBe(0);
    } finally {
      await one.end();
    }
  });
});
