import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileReader, parseFolder, totalsBySession, transcriptFiles } from "./claude-folder";
import { parseTranscript } from "./claude-transcript";

const root = mkdtempSync(path.join(os.tmpdir(), "kayos-claude-folder-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const line = (id: string, session: string, out: number, text = "") =>
  JSON.stringify({
    type: "assistant",
    sessionId: session,
    requestId: `req_${id}`,
    timestamp: "2026-11-20T10:00:00.000Z",
    message: { id, model: "claude-sonnet-4-5-20250929", content: [{ type: "text", text }], usage: { input_tokens: 10, output_tokens: out, cache_read_input_tokens: 1000 } },
  }) + "\n";

describe("Claude Code transcript folders", () => {
  it("reads files of every size through one buffer, each whole, in path order, to the same responses as file by file", () => {
    const dir = path.join(root, "projects", "-work-app");
    mkdirSync(path.join(dir, "s2", "subagents"), { recursive: true });
    // Larger than the reader's first buffer (1 MB), with lines over the whole-parse limit, then small files after it.
    let big = "";
    for (let i = 0; i < 400; i++) big += line(`msg_big_${i}`, "s1", i + 1, "x".repeat(5000));
    writeFileSync(path.join(dir, "s1.jsonl"), big);
    writeFileSync(path.join(dir, "s2.jsonl"), line("msg_a", "s2", 7) + line("msg_big_0", "s2", 1));
    writeFileSync(path.join(dir, "s2", "subagents", "agent-1.jsonl"), line("msg_b", "s2", 3));

    const files = transcriptFiles(root);
    expect(files.map((f) => path.relative(dir, f))).toEqual(["s1.jsonl", "s2.jsonl", "s2/subagents/agent-1.jsonl"]);
    const read = fileReader();
    expect(files.map((f) => read(f).toString())).toEqual(files.map((f) => readFileSync(f, "utf8")));

    const { responses, stats } = parseFolder(root);
    expect(stats.usageLines).toBe(403);
    expect(responses).toHaveLength(402); // msg_big_0 is copied into s2 (a resumed session): the first file keeps it
    const totals = totalsBySession(responses);
    const oneByOne = files.flatMap((f) => parseTranscript(readFileSync(f)).records);
    const s1 = oneByOne.filter((r) => r.sessionId === "s1");
    expect(totals.get("s1")).toMatchObject({ responses: 400, output: s1.reduce((n, r) => n + r.output, 0), cacheRead: 400_000 });
    expect(totals.get("s2")).toMatchObject({ responses: 2, output: 10, input: 20 });
    // Sonnet 4.5: $3 input, $15 output, $0.30 cache reads per million tokens.
    expect(totals.get("s2")!.costUsd).toBeCloseTo((20 * 3 + 10 * 15 + 2000 * 0.3) / 1e6, 12);
  });

  it("reads a file that grew after it was opened to its end", () => {
    const file = path.join(root, "growing.jsonl");
    writeFileSync(file, "a".repeat(100));
    const read = fileReader();
    expect(read(file).length).toBe(100);
    appendFileSync(file, "b".repeat(3 << 20));
    expect(read(file).length).toBe(100 + (3 << 20));
  });
});
