"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";
import { ServerField } from "./server-field";

/**
 * Where the agent's next runs start. Not part of a version: a change applies at once, and runs
 * already started stay on the server they started on.
 */
export function AgentServerCard({ agent }: { agent: { id: string; serverId: string | null } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const move = useMutation(trpc.agents.updateDraft.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.agents.pathFilter()) }));
  return (
    <section className="card" aria-labelledby="server-title">
      <h2 id="server-title">Server</h2>
      <p className="muted">Where its next runs start (not versioned; runs already started stay where they are).</p>
      <ServerField value={agent.serverId ?? ""} onChange={(serverId) => move.mutate({ id: agent.id, serverId: serverId || null })} />
      {move.isSuccess && (
        <p className="muted" role="status">
          Saved.
        </p>
      )}
      <ErrorAlert error={move.error} />
    </section>
  );
}
