"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { UsageTiles } from "~/components/analytics/usage-tiles";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";

/** This week's runs, tokens and cost, from Observer. */
export function WeekSummary() {
  const trpc = useTRPC();
  const week = useQuery({ ...trpc.analytics.dashboard.queryOptions({ days: 7 }), refetchInterval: 30_000 });
  return (
    <section className="card" aria-labelledby="week-title">
      <div className="section-head">
        <h2 id="week-title">This week</h2>
        <Link href="/analytics">Analytics</Link>
      </div>
      <QueryState query={week} isEmpty={(d) => d.sessions === 0} empty="No runs in the last 7 days. Run an agent to see its tokens and cost here.">
        {(d) => (
          <UsageTiles dashboard={d} testId="week-totals" />
        )}
      </QueryState>
    </section>
  );
}
