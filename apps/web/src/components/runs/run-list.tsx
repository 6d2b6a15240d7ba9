"use client";

import type { RouterOutputs } from "@kayos/api";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";
import { isFinished } from "@kayos/api/services/run-status";

const duration = (start: Date | null, end: Date | null) =>
  start && end ? `${((end.getTime() - start.getTime()) / 1000).toFixed(1)} s` : "—";

type Run = RouterOutputs["runs"]["list"]["items"][number];

/** A run's status; a run that waits for a person's answer says so (as the server's run reconciler last recorded it). */
function RunStatus({ run }: { run: Run }) {
  if (!run.waitingSince || isFinished(run.status)) return <>{run.status}</>;
  return (
    <Link href={`/runs/${run.id}`} className="badge checking" data-testid="run-waiting" title={`Waiting since ${run.waitingSince.toLocaleString()}`}>
      waiting for your answer
    </Link>
  );
}

export function RunList({ agentId }: { agentId?: string }) {
  const trpc = useTRPC();
  const runs = useInfiniteQuery({
    ...trpc.runs.list.infiniteQueryOptions({ agentId, limit: 25 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    // Unfinished runs end in the background (the server's run reconciler): the list follows them.
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((r) => !isFinished(r.status))) ? 5000 : false),
  });
  if (runs.isPending) return <p className="muted" role="status">Loading…</p>;
  if (runs.isError) return <div className="alert error" role="alert">Could not load runs: {runs.error.message}</div>;
  const items = runs.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <div className="empty">No runs yet. Open an agent and press Run.</div>;
  return (
    <section className="card" aria-label="Runs">
      <table>
        <thead>
          <tr>
            <th>Run</th>
            <th>Agent</th>
            <th>Status</th>
            <th>Version</th>
            <th>Server</th>
            <th>Started</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <td>
                <Link href={`/runs/${r.id}`}>{r.id.slice(-8)}</Link>
              </td>
              <td>{r.agent?.name ?? r.agentType}</td>
              <td>
                <RunStatus run={r} />
              </td>
              <td>{r.agentVersion ? `v${r.agentVersion.version}` : r.agent ? "draft" : "ad hoc"}</td>
              <td className={r.serverName ? undefined : "muted"}>{r.serverName ?? (r.serverId ? "deleted" : "—")}</td>
              <td>{(r.startedAt ?? r.createdAt).toLocaleString()}</td>
              <td>{duration(r.startedAt, r.finishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs.hasNextPage && (
        <button type="button" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
          Load older runs
        </button>
      )}
    </section>
  );
}
