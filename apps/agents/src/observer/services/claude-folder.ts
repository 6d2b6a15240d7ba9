// Claude Code transcript folders: every `projects/**/*.jsonl` (subagent files included) in path order,
// which is also the order `ccusage` resolves ties in.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Pool } from "../store/db";
import { usageTransaction } from "../store/usage";
import { TranscriptAccumulator } from "./claude-transcript";
import type { UsageRecord } from "./usage-record";

export function transcriptFiles(root: string): string[] {
  const base = readdirSync(root).includes("projects") ? path.join(root, "projects") : root;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.isFile() && d.name.endsWith(".jsonl")) out.push(p);
    }
  };
  walk(base);
  return out.sort();
}

/** Parses a whole folder; the result equals importing its files one by one in path order. */
export function parseFolder(root: string) {
  const acc = new TranscriptAccumulator();
  for (const file of transcriptFiles(root)) acc.add(readFileSync(file));
  return { records: acc.records(), stats: acc.stats };
}

export function totalsBySession(records: UsageRecord[]) {
  const out = new Map<string, { input: number; output: number; cacheCreate: number; cacheRead: number; total: number; responses: number }>();
  for (const r of records) {
    let t = out.get(r.sessionId);
    if (!t) out.set(r.sessionId, (t = { input: 0, output: 0, cacheCreate: 0, cacheRead: 0, total: 0, responses: 0 }));
    t.input += r.input;
    t.output += r.output;
    t.cacheCreate += r.cacheWrite5m + r.cacheWrite1h;
    t.cacheRead += r.cacheRead;
    t.total += r.input + r.output + r.cacheWrite5m + r.cacheWrite1h + r.cacheRead;
    t.responses++;
  }
  return out;
}

const BATCH = 2_000;
/** Batches parsed ahead of the one being stored: parsing never waits on the store until this many queue up. */
const AHEAD = 4;

/**
 * Imports a whole folder straight into the store, in one transaction (same result as posting its
 * files in path order): batches queue for PostgreSQL while the next files are parsed.
 */
export async function importFolderToStore(pool: Pool, org: string, root: string, batch = BATCH) {
  const acc = new TranscriptAccumulator();
  const stored = await usageTransaction(pool, org, async (write) => {
    // Writes run one after another on the transaction's connection, parsing goes on meanwhile.
    let last: Promise<void> = Promise.resolve();
    const queued: Promise<void>[] = [];
    const hand = async () => {
      const records = acc.take();
      last = last.then(() => write(records));
      // Handled here so a failure while parsing goes on is not an unhandled rejection; it is thrown below.
      last.catch(() => undefined);
      queued.push(last);
      // Bounded: a slow store holds back parsing instead of memory growing with the folder.
      if (queued.length > AHEAD) await queued.shift();
    };
    try {
      for (const file of transcriptFiles(root)) {
        acc.add(readFileSync(file));
        if (acc.size >= batch) await hand();
        // Parsing is synchronous: let the batch being stored take its next step between files.
        else await new Promise((resolve) => setImmediate(resolve));
      }
      await hand();
    } finally {
      // Nothing may still be writing when the transaction ends (a ROLLBACK would overtake it).
      await last.catch(() => undefined);
    }
    await last;
  });
  return { stored: stored.inserted.size, stats: acc.stats };
}
