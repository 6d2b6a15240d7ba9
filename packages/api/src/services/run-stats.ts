// The control plane's own view of runs over a range: how many per agent, how they ended, how long
// they took, and the error rate per day. Token and cost figures come from Observer instead.
import type { AgentRun } from "@kayos/db/control";

export type RunRow = Pick<AgentRun, "status" | "agentType" | "createdAt" | "startedAt" | "finishedAt"> & {
  agent: { name: string } | null;
};

const FINISHED = new Set(["succeeded", "failed", "stopped"]);

/** Nearest-rank percentile of sorted numbers. */
function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

export function runStats(rows: RunRow[]) {
  const agents = new Map<string, { runs: number; succeeded: number; failed: number; stopped: number; durations: number[] }>();
  const days = new Map<string, { runs: number; failed: number }>();
  const durations: number[] = [];
  for (const run of rows) {
    const name = run.agent?.name ?? `${run.agentType} (ad hoc)`;
    const agent = agents.get(name) ?? { runs: 0, succeeded: 0, failed: 0, stopped: 0, durations: [] };
    agent.runs++;
    if (run.status === "succeeded" || run.status === "failed" || run.status === "stopped") agent[run.status]++;
    if (FINISHED.has(run.status) && run.finishedAt) {
      const seconds = (run.finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime()) / 1000;
      agent.durations.push(seconds);
      durations.push(seconds);
    }
    agents.set(name, agent);
    const day = run.createdAt.toISOString().slice(0, 10);
    const d = days.get(day) ?? { runs: 0, failed: 0 };
    d.runs++;
    if (run.status === "failed") d.failed++;
    days.set(day, d);
  }
  durations.sort((a, b) => a - b);
  const failed = rows.filter((r) => r.status === "failed").length;
  return {
    runs: rows.length,
    failed,
    errorRate: rows.length ? failed / rows.length : 0,
    medianSeconds: round(percentile(durations, 50)),
    byAgent: [...agents.entries()]
      .map(([agent, a]) => {
        const sorted = a.durations.sort((x, y) => x - y);
        const mean = sorted.length ? sorted.reduce((n, s) => n + s, 0) / sorted.length : null;
        return { agent, runs: a.runs, succeeded: a.succeeded, failed: a.failed, stopped: a.stopped, avgSeconds: round(mean), p95Seconds: round(percentile(sorted, 95)) };
      })
      .sort((x, y) => y.runs - x.runs || x.agent.localeCompare(y.agent))
      .slice(0, 12),
    perDay: [...days.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([day, d]) => ({ day, runs: d.runs, failed: d.failed, errorRate: d.failed / d.runs })),
  };
}
export type RunStats = ReturnType<typeof runStats>;
