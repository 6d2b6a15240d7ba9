// Claude Code transcript folders: every `projects/**/*.jsonl` (subagent files included) in path order,
// which is also the order `ccusage` resolves ties in.
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { inTransaction } from "../../shared/pg-pool";
import type { Pool } from "../store/db";
import { writeUsage, type UsageWriter } from "../store/usage";
import { hasNoUsage, UsageStream } from "../store/usage-stream";
import { TranscriptAccumulator, type Parsed } from "./claude-transcript";
import { costOf, type Usage } from "./pricing";
import { tokenTotal } from "./usage-record";

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

/**
 * Reads files one after another into one reused buffer (a view of it is valid until the next read):
 * a fresh buffer per file made ~100 MB of short-lived memory, and the collections it set off, per import.
 * A read that returns less than it asked for has met the end of the file: no fstat and no last empty
 * read (system calls cost ~15 µs each on this VM, 2,000 files per import).
 */
export function fileReader() {
  let buf = Buffer.allocUnsafe(1 << 20);
  return (file: string): Buffer => {
    const fd = openSync(file, "r");
    try {
      let length = 0;
      for (;;) {
        const want = buf.length - length;
        const n = readSync(fd, buf, length, want, null);
        length += n;
        if (n < want) return buf.subarray(0, length);
        const bigger = Buffer.allocUnsafe(2 * buf.length);
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
    } finally {
      closeSync(fd);
    }
  };
}

/**
 * Parses a whole folder into its de-duplicated responses (unpriced; `totalsBySession` prices them);
 * the result equals importing its files one by one in path order.
 */
export function parseFolder(root: string): Parsed {
  const acc = new TranscriptAccumulator();
  const read = fileReader();
  for (const file of transcriptFiles(root)) acc.add(read(file));
  return acc.parsed();
}

/** Tokens and cost per session (what `ccusage session` reports); a response of an unpriced model adds no cost. */
export function totalsBySession(responses: readonly (Usage & { sessionId: string })[]) {
  const out = new Map<string, { input: number; output: number; cacheCreate: number; cacheRead: number; total: number; costUsd: number; responses: number }>();
  for (const r of responses) {
    let t = out.get(r.sessionId);
    if (!t) out.set(r.sessionId, (t = { input: 0, output: 0, cacheCreate: 0, cacheRead: 0, total: 0, costUsd: 0, responses: 0 }));
    t.input += r.input;
    t.output += r.output;
    t.cacheCreate += r.cacheWrite5m + r.cacheWrite1h;
    t.cacheRead += r.cacheRead;
    t.total += tokenTotal(r);
    t.costUsd += costOf(r) ?? 0;
    t.responses++;
  }
  return out;
}

const BATCH = 2_000;
/** Batches parsed ahead of the one being stored: parsing never waits on the store until this many queue up. */
const AHEAD = 4;
/** Responses a first import holds to de-duplicate them in memory (~500 bytes each); past it, the rest goes in batches. */
const HOLD_MAX = 500_000;

export interface FolderImportOptions {
  /** Responses per write (a smaller one makes copies of a response meet in the store, not in memory). */
  batch?: number;
  /** Called after each file is read. */
  onFile?: (done: number, total: number) => void;
  /** Responses a first import holds in memory before it goes on in batches. */
  holdMax?: number;
}

/**
 * Imports a whole folder straight into the store, in one transaction. The first import of an
 * organization streams its responses into PostgreSQL as they come (store/usage-stream.ts) and stores
 * the folder as parsed at once; other imports store them in batches that ask the table, queued while
 * the next files are read (as posting the files in path order would). Returns how many responses it
 * stored, how many of them a first import streamed (the rest went in batches), and what it read.
 */
export async function importFolderToStore(pool: Pool, org: string, root: string, { batch = BATCH, onFile, holdMax = HOLD_MAX }: FolderImportOptions = {}) {
  const acc = new TranscriptAccumulator();
  const files = readFiles(acc, root, onFile);
  let streamed = 0;
  const stored = await inTransaction(pool, async (client) => {
    if (await hasNoUsage(client, org)) {
      const first = await streamFirstImport(client, org, acc, files, batch, holdMax);
      streamed = first.stored;
      if (first.done) return streamed;
    }
    return streamed + (await writeUsage(client, org, (write) => writeBatches(acc, files, write, batch))).insertedCount;
  });
  return { stored, streamed, stats: acc.stats };
}

/** Reads the folder's files into `acc` one by one, pausing after each. */
async function* readFiles(acc: TranscriptAccumulator, root: string, onFile: FolderImportOptions["onFile"]): AsyncGenerator<void, void> {
  const read = fileReader();
  const files = transcriptFiles(root);
  for (const [i, file] of files.entries()) {
    acc.add(read(file));
    onFile?.(i + 1, files.length);
    yield;
    // Reading is synchronous: let the rows being stored move on between files.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The first import of an organization: responses are sent as they come and de-duplicated in memory,
 * rows sent and changed by later lines replaced at the end. Done unless it held `holdMax` responses
 * first (what it held is stored then) or another writer stored a row of the organization meanwhile
 * (then nothing is, and `acc` still holds everything): the batches go on from there.
 */
async function streamFirstImport(client: pg.PoolClient, org: string, acc: TranscriptAccumulator, files: AsyncGenerator<void, void>, batch: number, holdMax: number) {
  await client.query("SAVEPOINT first_import");
  const stream = new UsageStream(client, org);
  acc.handOver();
  try {
    let done = false;
    for (;;) {
      if ((await files.next()).done) {
        done = true;
        break;
      }
      if (acc.unsettled >= batch) await stream.send(acc.settle());
      if (acc.size > holdMax) break;
    }
    await stream.send(acc.settle());
    const stored = await stream.end(acc.changes());
    await client.query("RELEASE SAVEPOINT first_import");
    if (!done) acc.forget();
    return { done, stored };
  } catch (error) {
    // The connection takes no other statement (the ROLLBACK either) while the COPY is open.
    await stream.abort(error);
    if ((error as { code?: string }).code !== "23505") throw error;
    await client.query("ROLLBACK TO SAVEPOINT first_import");
    return { done: false, stored: 0 };
  }
}

/** The batch path: writes run one after another on the transaction's connection, reading goes on meanwhile. */
async function writeBatches(acc: TranscriptAccumulator, files: AsyncGenerator<void, void>, write: UsageWriter, batch: number) {
  let last: Promise<void> = Promise.resolve();
  const queued: Promise<void>[] = [];
  const hand = async () => {
    const records = acc.take();
    last = last.then(() => write(records));
    // Handled here so a failure while reading goes on is not an unhandled rejection; it is thrown below.
    last.catch(() => undefined);
    queued.push(last);
    // Bounded: a slow store holds back reading instead of memory growing with the folder.
    if (queued.length > AHEAD) await queued.shift();
  };
  try {
    for (;;) {
      if (acc.size >= batch) await hand();
      if ((await files.next()).done) break;
    }
    await hand();
  } finally {
    // Nothing may still be writing when the transaction ends (a ROLLBACK would overtake it).
    await last.catch(() => undefined);
  }
  await last;
}
