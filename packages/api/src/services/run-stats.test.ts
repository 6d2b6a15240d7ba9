import { describe, expect, it } from "vitest";
import { runStats, type RunRow } from "./run-stats";

const at = (iso: string) => new Date(iso);
function run(agent: string | null, status: RunRow["status"], created: string, seconds: number | null, started?: string): RunRow {
  const createdAt = at(created);
  const startedAt = started ? at(started) : null;
  const from = (startedAt ?? createdAt).getTime();
  return { agent: agent ? { name: agent } : null, agentType: "shell", status, createdAt, startedAt, finishedAt: seconds === null ? null : new Date(from + seconds * 1000) };
}

describe("runStats", () => {
  it("counts runs per agent by outcome, with mean and p95 durations of the finished ones", () => {
    const stats = runStats([
      run("Helper", "succeeded", "2026-11-23T10:00:00Z", 2),
      run("Helper", "succeeded", "2026-11-23T11:00:00Z", 4),
      run("Helper", "failed", "2026-11-24T09:00:00Z", 30),
      run("Helper", "running", "2026-11-24T09:30:00Z", null),
      run("Coder", "stopped", "2026-11-24T10:00:00Z", 10, "2026-11-24T10:00:05Z"),
      run(null, "succeeded", "2026-11-24T11:00:00Z", 1),
    ]);
    expect(stats.byAgent).toEqual([
      { agent: "Helper", runs: 4, succeeded: 2, failed: 1, stopped: 0, avgSeconds: 12, p95Seconds: 30 },
      { agent: "Coder", runs: 1, succeeded: 0, failed: 0, stopped: 1, avgSeconds: 10, p95Seconds: 10 },
      { agent: "shell (ad hoc)", runs: 1, succeeded: 1, failed: 0, stopped: 0, avgSeconds: 1, p95Seconds: 1 },
    ]);
    expect(stats).toMatchObject({ runs: 6, failed: 1, errorRate: 1 / 6, medianSeconds: 4 });
  });

  it("gives the error rate per day, oldest first", () => {
    const stats = runStats([
      run("A", "failed", "2026-11-24T10:00:00Z", 1),
      run("A", "succeeded", "2026-11-24T11:00:00Z", 1),
      run("A", "succeeded", "2026-11-22T11:00:00Z", 1),
    ]);
    expect(stats.perDay).toEqual([
      { day: "2026-11-22", runs: 1, failed: 0, errorRate: 0 },
      { day: "2026-11-24", runs: 2, failed: 1, errorRate: 0.5 },
    ]);
  });

  it("has no durations when nothing has finished", () => {
    const stats = runStats([run("A", "running", "2026-11-24T10:00:00Z", null)]);
    expect(stats.medianSeconds).toBeNull();
    expect(stats.byAgent[0]).toMatchObject({ avgSeconds: null, p95Seconds: null });
    expect(runStats([])).toMatchObject({ runs: 0, errorRate: 0, byAgent: [], perDay: [] });
  });
});
