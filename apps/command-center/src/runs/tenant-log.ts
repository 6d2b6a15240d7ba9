// One tenant's history file: JSONL, written append-only in order. Lines are batched so a stream of
// deltas is a few writes, and flushed() tells when everything appended so far is on disk.
import { appendFile, readFile } from "node:fs/promises";
import { historyLine, type HistoryLine } from "./types";

export class TenantLog {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failure: Error | undefined;

  constructor(readonly file: string) {}

  append(line: HistoryLine) {
    this.pending.push(`${JSON.stringify(line)}\n`);
    if (this.scheduled) return;
    this.scheduled = true;
    this.writing = this.writing.then(async () => {
      // Whatever queued up while the previous write ran goes out in one write.
      this.scheduled = false;
      const batch = this.pending.join("");
      this.pending = [];
      try {
        await appendFile(this.file, batch, { mode: 0o600 });
      } catch (error) {
        this.failure = error as Error;
      }
    });
  }

  async flushed() {
    await this.writing;
    if (this.failure) throw this.failure;
  }

  /** Every valid line; a torn last line (a crash mid-write) is skipped. */
  async read(): Promise<HistoryLine[]> {
    await this.flushed();
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const lines: HistoryLine[] = [];
    for (const raw of text.split("\n")) {
      if (!raw) continue;
      try {
        const parsed = historyLine.safeParse(JSON.parse(raw));
        if (parsed.success) lines.push(parsed.data);
      } catch {
        // torn line
      }
    }
    return lines;
  }
}
