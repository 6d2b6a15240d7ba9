"use client";

import type { RouterOutputs } from "@kayos/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";

type Deployment = RouterOutputs["commandCenter"]["deployment"];

const badge = (status: string) => (status === "succeeded" ? "healthy" : status === "running" ? "checking" : "down");

function Steps({ log }: { log: Deployment["log"] }) {
  return (
    <ol className="steps">
      {log.map((s, i) => (
        <li key={i}>
          <span className={`badge ${badge(s.status)}`}>{s.step}</span> {s.message}
        </li>
      ))}
    </ol>
  );
}

/** One deployment's steps, refreshed while it runs. */
function Progress({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const deployment = useQuery({
    ...trpc.commandCenter.deployment.queryOptions({ id }),
    refetchInterval: (q) => (q.state.data?.status === "running" ? 500 : false),
  });
  const d = deployment.data;
  const finished = d !== undefined && d.status !== "running";
  // Once it ends, the history above shows it: refresh that once, not on every render.
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries(trpc.commandCenter.get.queryFilter());
  }, [finished, queryClient, trpc]);
  if (!d) return <p className="muted" role="status">Starting…</p>;
  return (
    <div aria-live="polite" data-testid="deploy-progress">
      <p>
        <span className={`badge ${badge(d.status)}`} data-testid="deploy-status">
          {d.status.replace("_", " ")}
        </span>{" "}
        {d.kind} {d.version}
      </p>
      <Steps log={d.log} />
      {d.error && (
        <div className="alert error" role="alert">
          {d.error}
        </div>
      )}
    </div>
  );
}

/** The release that serves now: the newest deployment that ended with one live. */
function liveVersion(deployments: Deployment[]) {
  for (const d of deployments) {
    if (d.status === "succeeded") return d.version;
    if (d.status === "rolled_back") return d.previous;
  }
  return null;
}

function History({ deployments, onRollback, busy }: { deployments: Deployment[]; onRollback: (version: string) => void; busy: boolean }) {
  if (deployments.length === 0) return <p className="empty">Nothing deployed yet.</p>;
  const live = liveVersion(deployments);
  return (
    <table data-testid="deployments">
      <thead>
        <tr>
          <th>When</th>
          <th>What</th>
          <th>Agents</th>
          <th>Result</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {deployments.map((d) => (
          <tr key={d.id}>
            <td>
              {d.createdAt.toLocaleString()}
              {d.createdBy && <p className="muted">by {d.createdBy.name || d.createdBy.email}</p>}
            </td>
            <td>
              {d.kind} {d.version}
              {d.server && <span className="muted"> on {d.server.name}</span>}
              {d.version === live && <span className="badge healthy"> live</span>}
            </td>
            <td>{d.agentVersions.map((a) => `${a.name} v${a.version}`).join(", ") || "—"}</td>
            <td>
              <span className={`badge ${badge(d.status)}`}>{d.status.replace("_", " ")}</span>
              {d.error && <p className="muted">{d.error}</p>}
              <details>
                <summary>Log</summary>
                <Steps log={d.log} />
              </details>
            </td>
            <td>
              {d.kind === "deploy" && d.status === "succeeded" && d.version !== live && (
                <button type="button" disabled={busy} onClick={() => onRollback(d.version)}>
                  Roll back to this release
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DeployPanel({ deployments }: { deployments: Deployment[] }) {
  const trpc = useTRPC();
  const [current, setCurrent] = useState<string | null>(deployments[0]?.status === "running" ? deployments[0].id : null);
  const [showPreview, setShowPreview] = useState(false);
  const preview = useQuery({ ...trpc.commandCenter.preview.queryOptions(), enabled: showPreview });
  const deploy = useMutation(trpc.commandCenter.deploy.mutationOptions({ onSuccess: (d) => setCurrent(d.id) }));
  const rollback = useMutation(trpc.commandCenter.rollback.mutationOptions({ onSuccess: (d) => setCurrent(d.id) }));
  const busy = deploy.isPending || rollback.isPending;
  return (
    <section className="card" aria-labelledby="deploy-title">
      <h2 id="deploy-title">Deploy</h2>
      <p className="muted">Save your settings first. A deploy uploads a new release over SSH, switches to it, and rolls back by itself if it does not come up healthy.</p>
      <div className="row">
        <button type="button" onClick={() => setShowPreview((v) => !v)} aria-expanded={showPreview}>
          {showPreview ? "Hide config/agents.json" : "Preview config/agents.json"}
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => deploy.mutate({})}>
          {deploy.isPending ? "Starting…" : "Deploy"}
        </button>
        <button type="button" disabled={busy || deployments.length === 0} onClick={() => rollback.mutate({})}>
          Roll back to the previous release
        </button>
      </div>
      {showPreview &&
        (preview.isError ? (
          <div className="alert error" role="alert">
            {preview.error.message}
          </div>
        ) : (
          <pre className="terminal" data-testid="config-preview">
            {preview.data ? JSON.stringify(preview.data, null, 2) : "Generating…"}
          </pre>
        ))}
      <ErrorAlert error={deploy.error ?? rollback.error} />
      {current && <Progress id={current} />}
      <h3>History</h3>
      <History deployments={deployments} busy={busy} onRollback={(to) => rollback.mutate({ to })} />
    </section>
  );
}
