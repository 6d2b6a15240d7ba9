// Example from the seed: summarise the text files of a folder, in the seed's builder style.
// list -> process (files in parallel, per-file timeout and retries) -> summarize.
// Run: npx tsx examples/file-processor-agent.ts [folder]
import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Graph, Node, ParallelBatchNode, type ExecContext } from "../src/index.js";

export interface FileStats {
  file: string;
  lines: number;
  words: number;
  bytes: number;
}

export interface FileProcessorShared {
  folder: string;
  extensions: string[];
  files?: string[];
  stats?: FileStats[];
  summary?: { files: number; lines: number; words: number; bytes: number; largest?: string };
}

class ListFiles extends Node<FileProcessorShared, { folder: string; extensions: string[] }, string[], "found" | "none"> {
  override prep(shared: FileProcessorShared): { folder: string; extensions: string[] } {
    return { folder: shared.folder, extensions: shared.extensions };
  }
  override async exec({ folder, extensions }: { folder: string; extensions: string[] }): Promise<string[]> {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && extensions.includes(extname(entry.name)))
      .map((entry) => join(folder, entry.name))
      .sort();
  }
  override post(shared: FileProcessorShared, _p: unknown, files: string[]): "found" | "none" {
    shared.files = files;
    return files.length > 0 ? "found" : "none";
  }
}

class ProcessFiles extends ParallelBatchNode<FileProcessorShared, string, FileStats> {
  override prep(shared: FileProcessorShared): string[] | undefined {
    return shared.files;
  }
  override async exec(file: string, ctx: ExecContext): Promise<FileStats> {
    const text = await readFile(file, { encoding: "utf8", signal: ctx.signal });
    return {
      file,
      lines: text === "" ? 0 : text.split("\n").length,
      words: text.split(/\s+/).filter(Boolean).length,
      bytes: Buffer.byteLength(text),
    };
  }
  override post(shared: FileProcessorShared, _files: readonly string[], stats: FileStats[]): void {
    shared.stats = stats;
  }
}

class Summarize extends Node<FileProcessorShared> {
  override post(shared: FileProcessorShared): void {
    const stats = shared.stats ?? [];
    const largest = [...stats].sort((a, b) => b.bytes - a.bytes)[0];
    shared.summary = {
      files: stats.length,
      lines: stats.reduce((n, s) => n + s.lines, 0),
      words: stats.reduce((n, s) => n + s.words, 0),
      bytes: stats.reduce((n, s) => n + s.bytes, 0),
      largest: largest?.file,
    };
  }
}

export function createFileProcessorGraph(): Graph<FileProcessorShared> {
  return new Graph<FileProcessorShared>(undefined, { id: "file-processor" })
    .addNode("list", new ListFiles())
    .addNode("process", new ProcessFiles({ concurrency: 4, maxRetries: 2, timeoutMs: 5_000 }))
    .addNode("summarize", new Summarize())
    .addEdge("list", "process", "found")
    .addEdge("list", "summarize", "none")
    .addEdge("process", "summarize");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const shared: FileProcessorShared = { folder: process.argv[2] ?? fileURLToPath(new URL(".", import.meta.url)), extensions: [".ts", ".md"] };
  const graph = createFileProcessorGraph();
  await graph.run(shared);
  console.log(graph.toMermaid());
  console.log(shared.summary);
}
