"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";

/** The organization's five latest runs. */
export function RecentRuns() {
  const trpc = useTRPC();
  const runs = useQuery({ ...trpc.runs.list.queryOptions({ limit: 5 }), refetchInterval: 10_000 });
  return (
    <section className="card" aria-labelledby="recent-runs-title">
      <div className="section-head">
        <h2 id="recent-runs-title">Recent runs</h2>
        <Link href="/runs">All runs</Link>
      </div>
      <QueryState query={runs} isEmpty={(d) => d.items.length === 0} empty="No runs yet. Open an agent and press Run.">
        {(d) => (
          <table data-testid="recent-runs">
            <thead>
              <tr>
                <th>Agent</th>
                <th>Status</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/runs/${r.id}`}>{r.agent?.name ?? r.agentType}</Link>
                  </td>
                  <td>{r.status}</td>
                  <td>{(r.startedAt ?? r.createdAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}
