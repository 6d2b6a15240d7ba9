// Where a run's live output is streamed from (Nexus execution SSE or Smith session SSE), for the web
// tier's stateless proxy. Server-side only: the answer carries the server's API key.
import type { AgentRun } from "@kayos/db/control";
import { AppError } from "../errors";
import { clientsOfRun, type DispatchContext, type RunPlace } from "./dispatch";

export async function runStreamTarget(ctx: DispatchContext, run: Pick<AgentRun, "service" | "externalId"> & RunPlace) {
  if (!run.externalId) throw new AppError("CONFLICT", "The run never started, so it has no output");
  const clients = await clientsOfRun(ctx, run);
  const client = run.service === "nexus" ? clients.nexus : clients.smith;
  const path = run.service === "nexus" ? "agents" : "sessions";
  return { url: new URL(`/api/v1/${path}/${encodeURIComponent(run.externalId)}/stream`, client.baseUrl), headers: client.authHeaders() };
}
