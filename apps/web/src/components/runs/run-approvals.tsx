"use client";

import type { RouterOutputs } from "@kayos/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";
import { useFinalRefetch } from "./use-final-refetch";

type Approval = RouterOutputs["runs"]["approvals"]["approvals"][number];

/** Tool uses a coding agent (agents configured to ask) waits for: allow or deny each one. */
export function RunApprovals({ runId, finished }: { runId: string; finished: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const approvals = useQuery({ ...trpc.runs.approvals.queryOptions({ id: runId }), refetchInterval: finished ? false : 1500 });
  useFinalRefetch(approvals, finished);
  const decide = useMutation(
    trpc.runs.decide.mutationOptions({
      onSuccess: () => Promise.all([queryClient.invalidateQueries(trpc.runs.approvals.pathFilter()), queryClient.invalidateQueries(trpc.runs.events.pathFilter())]),
    }),
  );
  const list = approvals.data?.approvals ?? [];
  // Runs that never ask have nothing to show here.
  if (list.length === 0) return null;
  const pending = list.filter((a) => a.decision === null);
  return (
    <section className="card" aria-labelledby="approvals-title" data-testid="run-approvals">
      <h2 id="approvals-title">Approvals</h2>
      <p className="muted" aria-live="polite">
        {pending.length > 0 ? `The agent waits for ${pending.length === 1 ? "your decision" : `${pending.length} decisions`}.` : "Every tool use was decided."}
      </p>
      <ol className="activity">
        {list.map((a) => (
          <ApprovalItem key={a.request_id} approval={a} busy={decide.isPending || finished} onDecide={(behavior) => decide.mutate({ id: runId, requestId: a.request_id, behavior })} />
        ))}
      </ol>
      <ErrorAlert error={decide.error} />
    </section>
  );
}

function ApprovalItem({ approval: a, busy, onDecide }: { approval: Approval; busy: boolean; onDecide: (behavior: "allow" | "deny") => void }) {
  return (
    <li data-testid="approval">
      <strong>{a.tool}</strong>
      {a.description ? ` · ${a.description}` : ""}{" "}
      {a.decision ? <span className={`badge ${a.decision === "allow" ? "healthy" : "down"}`}>{a.decision === "allow" ? "allowed" : "denied"}</span> : <span className="badge checking">waiting</span>}
      <pre className="terminal">{JSON.stringify(a.input, null, 2)}</pre>
      {a.decision === null && (
        <div className="row">
          <button type="button" disabled={busy} onClick={() => onDecide("allow")} aria-label={`Allow ${a.tool}`}>
            Allow
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => onDecide("deny")} aria-label={`Deny ${a.tool}`}>
            Deny
          </button>
        </div>
      )}
    </li>
  );
}
