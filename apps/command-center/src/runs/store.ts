// End users' run history under KAYOS_CC_DATA: one JSONL file per tenant, loaded into a summary index
// at start. Events of a live run are kept in memory for its streams; finished runs replay from file.
import { mkdirSync, readdirSync, readFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { TenantLog } from "./tenant-log";
import type { HistoryLine, RunEvent, RunRecord } from "./types";

const INTERRUPTED = "Interrupted by a restart of the Command Center; run it again";

export class RunStore {
  private readonly runs = new Map<string, RunRecord>();
  private readonly logs = new Map<string, TenantLog>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(dir)) {
      if (name.endsWith(".jsonl")) this.loadFile(name.slice(0, -".jsonl".length));
    }
  }

  private loadFile(tenant: string) {
    const file = path.join(this.dir, `${tenant}.jsonl`);
    const text = readFileSync(file, "utf8");
    // A crash can leave a torn last line: end it so the next line starts clean.
    if (text && !text.endsWith("\n")) appendFileSync(file, "\n");
    const lines = text.split("\n").flatMap((raw) => {
      try {
        return raw ? [JSON.parse(raw) as HistoryLine] : [];
      } catch {
        return [];
      }
    });
    for (const line of lines) this.apply(line);
    for (const run of this.runs.values()) {
      if (run.tenant === tenant && run.status === "running") this.finish(run.id, { status: "failed", output: null, error: INTERRUPTED });
    }
  }

  private apply(line: HistoryLine) {
    if (line.kind === "run") {
      const { kind: _kind, ...fields } = line;
      this.runs.set(line.id, { ...fields, status: "running", output: null, error: null, finished_at: null });
    } else if (line.kind === "end") {
      const run = this.runs.get(line.run_id);
      if (run) Object.assign(run, { status: line.status, output: line.output, error: line.error, finished_at: line.finished_at });
    }
  }

  private logOf(tenant: string) {
    let log = this.logs.get(tenant);
    if (!log) this.logs.set(tenant, (log = new TenantLog(path.join(this.dir, `${tenant}.jsonl`))));
    return log;
  }

  create(run: Omit<RunRecord, "status" | "output" | "error" | "finished_at">): RunRecord {
    const line: HistoryLine = { kind: "run", ...run };
    this.logOf(run.tenant).append(line);
    this.apply(line);
    return this.runs.get(run.id)!;
  }

  appendEvent(runId: string, event: RunEvent) {
    const run = this.runs.get(runId);
    if (run) this.logOf(run.tenant).append({ kind: "event", run_id: runId, event });
  }

  finish(runId: string, end: { status: "succeeded" | "failed"; output: string | null; error: string | null }) {
    const run = this.runs.get(runId);
    if (!run) return;
    const line: HistoryLine = { kind: "end", run_id: runId, ...end, finished_at: new Date().toISOString() };
    this.logOf(run.tenant).append(line);
    this.apply(line);
  }

  /** A run of this user in this tenant; anyone else's is "not there". */
  get(runId: string, owner: { tenant: string; email: string }): RunRecord | undefined {
    const run = this.runs.get(runId);
    return run && run.tenant === owner.tenant && run.user === owner.email ? run : undefined;
  }

  list(owner: { tenant: string; email: string }, limit: number): RunRecord[] {
    return [...this.runs.values()]
      .filter((r) => r.tenant === owner.tenant && r.user === owner.email)
      .sort((a, b) => b.created_at.localeCompare(a.created_at))
      .slice(0, limit);
  }

  async eventsOf(run: RunRecord): Promise<RunEvent[]> {
    const lines = await this.logOf(run.tenant).read();
    return lines.flatMap((l) => (l.kind === "event" && l.run_id === run.id ? [l.event] : []));
  }

  async flushed() {
    await Promise.all([...this.logs.values()].map((l) => l.flushed()));
  }
}
