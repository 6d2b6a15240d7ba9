"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useFinalRefetch } from "./use-final-refetch";

/** Files the run changed in its workspace, each with its diff (refreshed while the run is live). */
export function RunChanges({ runId, finished }: { runId: string; finished: boolean }) {
  const trpc = useTRPC();
  const changes = useQuery({ ...trpc.runs.changes.queryOptions({ id: runId }), refetchInterval: finished ? false : 3000 });
  useFinalRefetch(changes, finished);
  return (
    <section className="card" aria-labelledby="changes-title">
      <h2 id="changes-title">Files changed</h2>
      {changes.data?.worktree && (
        <p className="muted" data-testid="run-worktree">
          In its own git worktree <code>{changes.data.worktree.name}</code> on branch <code>{changes.data.worktree.branch}</code>, from commit{" "}
          <code>{changes.data.worktree.base_commit.slice(0, 12)}</code>: merge the branch to keep the work.
        </p>
      )}
      {changes.isPending && <p className="muted" role="status">Loading…</p>}
      {changes.isError && <p className="muted">Could not read the changes: {changes.error.message}</p>}
      {changes.data && changes.data.files.length === 0 && <p className="empty">{finished ? "No files changed." : "No files changed yet."}</p>}
      {changes.data && changes.data.files.length > 0 && (
        <div data-testid="run-changes">
          <p className="muted">
            {changes.data.files_changed} files, +{changes.data.lines_added} −{changes.data.lines_removed}
          </p>
          {changes.data.files.map((f) => (
            <details key={f.path} open={changes.data.files.length <= 5}>
              <summary>
                <strong>{f.path}</strong> <span className="muted">{f.status}</span> {f.added !== null && <span>+{f.added} −{f.removed}</span>}
              </summary>
              <pre className="terminal">{f.patch ?? "(binary or too large to show)"}{f.truncated ? "\n… (cut)" : ""}</pre>
            </details>
          ))}
        </div>
      )}
    </section>
  );
}
