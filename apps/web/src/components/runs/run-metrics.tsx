"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const fmt = new Intl.NumberFormat("en-US");

/** The run's figures from CodingObserver: tokens, cost, files changed, duration. */
export function RunMetrics({ runId, finished }: { runId: string; finished: boolean }) {
  const trpc = useTRPC();
  // Usage reaches Observer in batches, a little after the output: keep asking until it is there.
  const metrics = useQuery({
    ...trpc.analytics.session.queryOptions({ id: runId }),
    refetchInterval: (q) => (finished && q.state.data ? false : 3000),
    retry: false,
  });
  if (metrics.isPending) return <p className="muted" role="status">Loading metrics…</p>;
  if (metrics.isError) {
    return (
      <p className="muted" role="status">
        Waiting for this run's analytics from CodingObserver ({metrics.error.message}).
      </p>
    );
  }
  const m = metrics.data;
  const cards: [string, string][] = [
    ["Tokens", fmt.format(m.tokens)],
    ["Cost", `$${m.usage.cost_usd.toFixed(4)}`],
    ["Files changed", fmt.format(m.files_changed)],
    ["Lines +/−", `+${m.lines_added} / −${m.lines_removed}`],
    ["Duration", `${m.duration.toFixed(1)} s`],
    ["Errors", fmt.format(m.errors)],
  ];
  return (
    <section className="card" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      <div className="grid" data-testid="run-metrics">
        {cards.map(([label, value]) => (
          <div key={label} className="card">
            <span className="muted">{label}</span>
            <strong>{value}</strong>
          </div>
        ))}
      </div>
    </section>
  );
}
