import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MaxStepsError } from "../src/index.js";
import { createCsvImportGraph, type Contact, type CsvImportShared } from "./csv-import-agent.js";
import { createFileProcessorGraph, type FileProcessorShared } from "./file-processor-agent.js";
import { calculator, createAgentGraph, ScriptedProvider, type AgentShared } from "./llm-agent-loop.js";

describe("csv-import-agent", () => {
  it("imports valid rows, reports invalid ones with their line numbers", async () => {
    const rows: Contact[] = [];
    const shared: CsvImportShared = { csv: "name,email,age\nAda,ADA@example.com,36\nBob,nope,40\n,x@y.z,1" };
    await createCsvImportGraph({ insert: async (c) => void rows.push(c) }).run(shared);
    expect(rows).toEqual([{ name: "Ada", email: "ada@example.com", age: 36 }]);
    expect(shared.report).toBe('imported 1 of 3 rows\n  line 3: invalid email "nope"\n  line 4: name is missing');
  });

  it("retries a flaky database per row and counts rows that still fail", async () => {
    const attempts = new Map<string, number>();
    const db = {
      insert: async (c: Contact) => {
        const n = (attempts.get(c.name) ?? 0) + 1;
        attempts.set(c.name, n);
        if (c.name === "Never" || n < 2) throw new Error("db busy");
      },
    };
    const shared: CsvImportShared = { csv: "name,email,age\nA,a@x.io,1\nB,b@x.io,2\nNever,n@x.io,3" };
    await createCsvImportGraph(db).run(shared);
    expect(shared.imported).toBe(2);
    expect(Object.fromEntries(attempts)).toEqual({ A: 2, B: 2, Never: 3 });
  });

  it("goes straight to the report for an empty file", async () => {
    const shared: CsvImportShared = { csv: "" };
    await createCsvImportGraph({ insert: async () => undefined }).run(shared);
    expect(shared.report).toBe("imported 0 of 0 rows");
  });
});

describe("file-processor-agent", () => {
  it("summarises the matching files of a folder", async () => {
    const folder = await mkdtemp(join(tmpdir(), "kaygraph-files-"));
    try {
      await writeFile(join(folder, "a.md"), "one two\nthree");
      await writeFile(join(folder, "b.md"), "four five six seven");
      await writeFile(join(folder, "skip.bin"), "ignored words here");
      const shared: FileProcessorShared = { folder, extensions: [".md"] };
      await createFileProcessorGraph().run(shared);
      expect(shared.stats?.map((s) => [s.file.endsWith("a.md"), s.lines, s.words])).toEqual([
        [true, 2, 3],
        [false, 1, 4],
      ]);
      expect(shared.summary).toMatchObject({ files: 2, lines: 3, words: 7, largest: join(folder, "b.md") });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("summarises zero files when nothing matches", async () => {
    const folder = await mkdtemp(join(tmpdir(), "kaygraph-empty-"));
    try {
      const shared: FileProcessorShared = { folder, extensions: [".md"] };
      await createFileProcessorGraph().run(shared);
      expect(shared.summary).toMatchObject({ files: 0, words: 0 });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("llm-agent-loop", () => {
  it("thinks, acts with a tool, observes the result and answers", async () => {
    const provider = new ScriptedProvider([
      { type: "tool", tool: "calculator", input: "19+23" },
      { type: "answer", text: "42" },
    ]);
    const shared: AgentShared = { messages: [{ role: "user", content: "19 + 23?" }] };
    await expect(createAgentGraph(provider, [calculator]).run(shared)).resolves.toBe("answer");
    expect(shared.answer).toBe("42");
    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[1]?.at(-1)).toEqual({ role: "tool", content: "42" });
  });

  it("turns a failing tool into an observation the model sees", async () => {
    const provider = new ScriptedProvider([
      { type: "tool", tool: "calculator", input: "two plus two" },
      { type: "answer", text: "sorry" },
    ]);
    const shared: AgentShared = { messages: [] };
    await createAgentGraph(provider, [calculator]).run(shared);
    expect(shared.messages.find((m) => m.role === "tool")?.content).toBe('error: cannot compute "two plus two"');
  });

  it("a model that never answers is stopped by maxSteps", async () => {
    const provider = new ScriptedProvider([{ type: "tool", tool: "calculator", input: "1+1" }]);
    await expect(createAgentGraph(provider, [calculator], 9).run({ messages: [] })).rejects.toBeInstanceOf(MaxStepsError);
  });
});
