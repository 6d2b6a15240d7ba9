"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const fmt = new Intl.NumberFormat("en-US");
const SETTLE_MS = 30_000;

/** The run's figures from CodingObserver: tokens, cost, files changed, duration. */
export function RunMetrics({ runId, finishedAt }: { runId: string; finishedAt: Date | null }) {
  const trpc = useTRPC();
  // Usage (and a coding agent's transcript) reaches Observer a little after the run ends: keep asking
  // until tokens show up, or for half a minute after the end for runs that use none.
  const settled = (tokens: number | undefined) => finishedAt !== null && (!!tokens || Date.now() - finishedAt.getTime() > SETTLE_MS);
  const metrics = useQuery({
    ...trpc.analytics.session.queryOptions({ id: runId }),
    refetchInterval: (q) => (settled(q.state.data?.tokens) ? false : 3000),
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
    ["Cost", `$${m.usage.cost_usd.toFixed(4)}${m.unpriced_models.length ? " + unpriced" : ""}`],
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
      {m.unpriced_models.length > 0 && (
        <p className="muted" data-testid="unpriced-models">
          No price is known for {m.unpriced_models.join(", ")}: its tokens are counted, its cost is not. Add it to CodingObserver&apos;s price table
          (apps/agents/src/observer/price-table.json).
        </p>
      )}
    </section>
  );
}
