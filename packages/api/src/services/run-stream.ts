// Where a run's live output is streamed from (Nexus execution SSE or Smith session SSE), for the web
// tier's stateless proxy. Server-side only: the answer carries the server's API key.
import type { AgentRun } from "@kayos/db/control";
import { AppError } from "../errors";
import { clientsFor, serverFor, type DispatchContext } from "./dispatch";

export async function runStreamTarget(ctx: DispatchContext, run: Pick<AgentRun, "organizationId" | "service" | "externalId"> & { agent: { serverId: string | null } | null }) {
  if (!run.externalId) throw new AppError("CONFLICT", "The run never started, so it has no output");
  const clients = clientsFor(ctx, await serverFor(ctx, run.organizationId, run.agent?.serverId));
  const client = run.service === "nexus" ? clients.nexus : clients.smith;
  const path = run.service === "nexus" ? "agents" : "sessions";
  return { url: new URL(`/api/v1/${path}/${encodeURIComponent(run.externalId)}/stream`, client.baseUrl), headers: client.authHeaders() };
}
