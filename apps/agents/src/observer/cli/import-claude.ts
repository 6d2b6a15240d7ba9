#!/usr/bin/env -S npx tsx
// Imports Claude Code transcripts (`<folder>/projects/**/*.jsonl`, subagent files included) into
// CodingObserver over HTTP, file by file in path order; with --watch, keeps sending what each file
// gains by byte offset. --dry-run prints the per-session totals without sending anything.
// --database-url with --organization imports a large backlog straight into Observer's database in
// one transaction (on the Observer host; the files are parsed while earlier rows are stored).
//
//   tsx apps/agents/src/observer/cli/import-claude.ts [folder] [--url URL] [--key KEY] [--watch] [--dry-run]
//   tsx apps/agents/src/observer/cli/import-claude.ts [folder] --database-url URL --organization ORG
//
// folder defaults to $CLAUDE_CONFIG_DIR or ~/.claude; URL to $CODINGOBSERVER_URL; KEY to $AGENTS_API_KEY.
import { openSync, readSync, fstatSync, closeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { importFolderToStore, parseFolder, totalsBySession, transcriptFiles } from "../services/claude-folder";
import { createPool } from "../store/db";
import { progressLine } from "./progress";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: process.env.CODINGOBSERVER_URL ?? "http://127.0.0.1:8081" },
    key: { type: "string", default: process.env.AGENTS_API_KEY },
    watch: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    interval: { type: "string", default: "2000" },
    "database-url": { type: "string" },
    organization: { type: "string" },
  },
});
const folder = positionals[0] ?? process.env.CLAUDE_CONFIG_DIR ?? path.join(os.homedir(), ".claude");

if (values["dry-run"]) {
  const { responses, stats } = parseFolder(folder);
  const sessions = [...totalsBySession(responses)].map(([session_id, t]) => ({ session_id, ...t, costUsd: Math.round(t.costUsd * 1e6) / 1e6 }));
  console.log(JSON.stringify({ stats, responses: responses.length, sessions }, null, 2));
  process.exit(0);
}

if (values["database-url"]) {
  if (!values.organization) {
    console.error("--database-url needs --organization: the organization id the transcripts belong to");
    process.exit(2);
  }
  const pool = createPool(values["database-url"], 2);
  const started = performance.now();
  let progress: ReturnType<typeof progressLine> | undefined;
  const result = await importFolderToStore(pool, values.organization, folder, {
    onFile: (done, total) => (progress ??= progressLine(process.stderr, total, "Reading files")).update(done),
  });
  progress?.end();
  await pool.end();
  console.log(`Imported ${result.stored} new responses (${result.stats.usageLines} usage lines) from ${folder} in ${Math.round(performance.now() - started)} ms`);
  process.exit(0);
}

if (!values.key) {
  console.error("Give the organization's agent-services API key: --key KEY or AGENTS_API_KEY (npm run dev prints the demo organization's)");
  process.exit(2);
}

const offsets = new Map<string, number>();

function readFrom(file: string, offset: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(size - offset);
    let read = 0;
    while (read < buf.length) read += readSync(fd, buf, read, buf.length - read, offset + read);
    return buf;
  } finally {
    closeSync(fd);
  }
}

async function send(file: string) {
  const offset = offsets.get(file) ?? 0;
  const body = readFrom(file, offset);
  if (body.length === 0) return 0;
  const res = await fetch(`${values.url}/api/v1/transcripts/claude-code?streaming=${values.watch}&offset=${offset}`, {
    method: "POST",
    headers: { authorization: `Bearer ${values.key}`, "content-type": "application/x-ndjson" },
    body,
  });
  const answer = (await res.json()) as { next_offset: number; responses: number; message?: string };
  if (!res.ok) throw new Error(`${file}: ${res.status} ${answer.message ?? ""}`);
  offsets.set(file, answer.next_offset);
  return answer.responses;
}

let responses = 0;
const files = transcriptFiles(folder);
const progress = progressLine(process.stderr, files.length, "Sending files");
for (const [i, file] of files.entries()) {
  responses += await send(file);
  progress.update(i + 1);
}
progress.end();
console.log(`Imported ${files.length} files (${responses} responses) from ${folder} into ${values.url}`);
if (!values.watch) process.exit(0);

console.log("Watching for new lines; Ctrl-C to stop.");
for (;;) {
  await new Promise((r) => setTimeout(r, Number(values.interval)));
  for (const file of transcriptFiles(folder)) {
    const n = await send(file).catch((error: Error) => (console.error(error.message), 0));
    if (n > 0) console.log(`${path.relative(folder, file)}: ${n} responses`);
  }
}
