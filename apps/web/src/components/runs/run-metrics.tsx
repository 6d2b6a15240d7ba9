"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const fmt = new Intl.NumberFormat("en-US");
const SETTLE_MS = 30_000;

/**
 * The run's figures: tokens, cost and errors from CodingObserver; duration from the run itself; files
 * changed, for a Smith run, from the same changes its "Files changed" section lists (one source, one answer).
 */
export function RunMetrics({ runId, onSmith, startedAt, finishedAt }: { runId: string; onSmith: boolean; startedAt: Date; finishedAt: Date | null }) {
  const trpc = useTRPC();
  const changes = useQuery({ ...trpc.runs.changes.queryOptions({ id: runId }), enabled: onSmith });
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
  const code = onSmith && changes.data ? changes.data : m;
  const seconds = ((finishedAt ?? new Date()).getTime() - startedAt.getTime()) / 1000;
  const cards: [string, string][] = [
    ["Tokens", fmt.format(m.tokens)],
    ["Cost", `$${m.usage.cost_usd.toFixed(4)}${m.unpriced_models.length ? " + unpriced" : ""}`],
    ["Files changed", fmt.format(code.files_changed)],
    ["Lines +/−", `+${code.lines_added} / −${code.lines_removed}`],
    ["Duration", `${seconds.toFixed(1)} s`],
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
