"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { ErrorAlert } from "~/components/ui/error-alert";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";
import { isFinished } from "@kayos/api/services/run-status";
import { RunActivity } from "./run-activity";
import { RunApprovals } from "./run-approvals";
import { RunChanges } from "./run-changes";
import { RunMetrics } from "./run-metrics";
import { RunQuestion } from "./run-question";
import { RunTerminal } from "./run-terminal";
import { useRunStream } from "./use-run-stream";


/** A Nexus run's live output; its error shows once here, or above once the run row records it. */
function Output({ runId, service, recorded }: { runId: string; service: string; recorded: string | null }) {
  const stream = useRunStream(runId, service);
  return (
    <section className="card" aria-labelledby="output-title">
      <div className="section-head">
        <h2 id="output-title">Output</h2>
        <span className="muted" aria-live="polite">
          {stream.done ? "finished" : stream.connected ? "live" : "connecting…"}
        </span>
      </div>
      {stream.steps.length > 0 && (
        <ol aria-label="Steps">
          {stream.steps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
      )}
      <pre className="terminal" data-testid="run-output" aria-live="polite">
        {stream.text || (stream.done ? "(no output)" : "Waiting for output…")}
      </pre>
      {stream.error && stream.error !== recorded && (
        <div className="alert error" role="alert">
          The run failed: {stream.error}
        </div>
      )}
    </section>
  );
}

export function RunDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery({
    ...trpc.runs.get.queryOptions({ id }),
    // A finished run changes no more; an unknown one (a wrong link, another organization's) never appears.
    refetchInterval: (q) => ((q.state.data && isFinished(q.state.data.status)) || q.state.error?.data?.code === "NOT_FOUND" ? false : 2000),
  });
  const stop = useMutation(trpc.runs.stop.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.runs.pathFilter()) }));
  return (
    <QueryState query={run} empty={null}>
      {(r) => (
        <>
          <div>
            <p className="muted">
              <Link href="/runs">Runs</Link> / {r.id}
            </p>
            <h1>{r.agent?.name ?? r.agentType}</h1>
            <p className="muted">
              {r.agentType} on {r.service}
              {r.server ? ` · ${r.server.name}` : ""}
              {r.agentVersion ? ` · version ${r.agentVersion.version}` : r.agent ? " · draft" : ""} · started{" "}
              {(r.startedAt ?? r.createdAt).toLocaleString()}
            </p>
          </div>
          <div className="row">
            <span className={`badge ${r.status === "succeeded" ? "healthy" : r.status === "failed" ? "down" : "checking"}`} data-testid="run-status">
              {r.status}
            </span>
            {!isFinished(r.status) && (
              <button type="button" className="danger" disabled={stop.isPending} onClick={() => stop.mutate({ id })}>
                {stop.isPending ? "Stopping…" : "Stop"}
              </button>
            )}
          </div>
          {r.error && (
            <div className={`alert ${r.status === "failed" ? "error" : "info"}`} role={r.status === "failed" ? "alert" : "status"} data-testid="run-error">
              {r.error}
            </div>
          )}
          <ErrorAlert error={stop.error} />
          {r.server === null ? (
            <p className="muted" data-testid="run-server-gone">
              Its output, file changes and analytics were kept on that server, which has been deleted.
            </p>
          ) : (
            <>
              {r.waitingFor && <RunQuestion runId={r.id} waiting={r.waitingFor} />}
              {r.agentType === "claude_code" && <RunApprovals runId={r.id} finished={isFinished(r.status)} />}
              {r.agentType === "claude_code" && <RunActivity runId={r.id} finished={isFinished(r.status)} />}
              {/* A Smith run's output is its terminal (replayed from the first byte); a second raw copy would show escape codes. */}
              {r.service === "smith" ? <RunTerminal runId={r.id} /> : <Output runId={r.id} service={r.service} recorded={r.error} />}
              {r.service === "smith" && <RunChanges runId={r.id} finished={isFinished(r.status)} />}
              <RunMetrics
                runId={r.id}
                onSmith={r.service === "smith"}
                startedAt={r.startedAt ?? r.createdAt}
                finishedAt={isFinished(r.status) ? (r.finishedAt ?? r.createdAt) : null}
              />
            </>
          )}
        </>
      )}
    </QueryState>
  );
}
