// Column statistics are per organization: in them an organization whose large import is running has
// no rows, or a few. Plans made for one row read all of the organization's rows once per row as the
// import adds them, so the import slows down with the square of its size. PostgreSQL's own counters
// show it. (An organization's very first import streams its rows and asks the table nothing; here the
// organization has one row already, so the import goes in batches that ask the table.)
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importFolderToStore } from "../services/claude-folder";
import { storeAgentCall } from "../testing/agent-call";
import { generateCorpus } from "../testing/claude-corpus";
import { createPool, type Pool } from "./db";
import { storeTestPool } from "./test-pool";

const pool = storeTestPool();
const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-first-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows of usage_events read so far, by sequential and index scans (this connection's counts flushed first). */
async function rowsRead(one: Pool) {
  await one.query("SELECT pg_stat_force_next_flush()");
  await one.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await one.query<{ read: string }>(
    `SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0) AS read FROM pg_stat_user_tables WHERE relname = 'usage_events'`,
  );
  return Number(rows[0]!.read);
}

describe("usage store, large import into an organization with few rows", () => {
  it("reads a fraction of the rows it stores (not a multiple of them), also once the table's statistics know only other organizations", { timeout: 60_000 }, async () => {
    generateCorpus({ dir, sessions: 120, turnsPerSession: 20, seed: 11 });
    // One connection, so that its statistics are the ones flushed.
    const one = createPool(pool().options.connectionString!, 1);
    try {
      await importFolderToStore(one, "org_known", dir, { batch: 400 });
      await one.query("ANALYZE usage_events");
      await storeAgentCall(one, "org_first");
      const before = await rowsRead(one);
      const { stored, streamed } = await importFolderToStore(one, "org_first", dir, { batch: 400 });
      expect(streamed).toBe(0);
      const read = (await rowsRead(one)) - before;
      expect(stored).toBeGreaterThan(2_000);
      // ~100 with plans from the statistics; plans made for the one row read ~1,500 here, growing with the square of the import.
      expect(read, `${read} rows read to import ${stored}`).toBeLessThan(stored / 4);
    } finally {
      await one.end();
    }
  });
});
