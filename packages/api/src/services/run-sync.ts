// A run's status lives in the service that runs it: while it is not finished, every read asks that
// service and records what changed. Conversations read the reply text from the same answer.
import type { ExecutionView, SmithSession } from "@kayos/contracts";
import type { AgentRun, RunStatus } from "@kayos/db/control";
import { nexusApi } from "../clients/nexus";
import { TERMINAL_STATUSES, UNFINISHED_STATUSES } from "./run-status";
import { smithApi } from "../clients/smith";
import { clientsFor, runStatusOfExecution, runStatusOfSession, SERVER_DELETED, serverOfRun, type DispatchContext, type RunPlace } from "./dispatch";


type SyncableRun = Pick<AgentRun, "id" | "service" | "externalId" | "status" | "waitingSince"> & RunPlace;

export type Upstream = { service: "nexus"; view: ExecutionView } | { service: "smith"; view: SmithSession };

/** Since when a run waits for a person, given whether its service says it does now. */
const waitingSince = (run: Pick<AgentRun, "waitingSince">, waiting: boolean) => (waiting ? (run.waitingSince ?? new Date()) : null);

/**
 * Asks the run's service where it stands and records a changed status (and whether it waits for a
 * person). Null when nothing to ask.
 */
export async function syncRun(
  ctx: DispatchContext,
  run: SyncableRun,
  /** The run's server when the caller has looked it up already. */
  known?: Awaited<ReturnType<typeof serverOfRun>>,
): Promise<{ upstream: Upstream | null; status: RunStatus } | null> {
  if (!run.externalId) return null;
  const server = known ?? (await serverOfRun(ctx, run));
  if (!server) {
    // Nothing can tell how it ends any more (upstream null): an unfinished run ends here, saying why.
    if (TERMINAL_STATUSES.has(run.status)) return { upstream: null, status: run.status };
    // Unless it ended meanwhile (stopped as its server was removed, say).
    await ctx.db.agentRun.updateMany({
      where: { id: run.id, status: { in: UNFINISHED_STATUSES } },
      data: { status: "failed", finishedAt: new Date(), error: SERVER_DELETED, waitingSince: null },
    });
    const { status } = await ctx.db.agentRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } });
    return { upstream: null, status };
  }
  const clients = clientsFor(ctx, server);
  const upstream: Upstream =
    run.service === "nexus"
      ? { service: "nexus", view: await nexusApi(clients.nexus).get(run.externalId) }
      : { service: "smith", view: await smithApi(clients.smith).get(run.externalId) };
  const status = upstream.service === "nexus" ? runStatusOfExecution(upstream.view) : runStatusOfSession(upstream.view);
  const waiting = upstream.service === "nexus" && upstream.view.waiting_for !== null && !TERMINAL_STATUSES.has(status);
  if (status !== run.status || waiting !== (run.waitingSince !== null)) {
    const error = upstream.service === "nexus" ? upstream.view.error : upstream.view.end_reason;
    await ctx.db.agentRun.update({
      where: { id: run.id },
      data: {
        status,
        waitingSince: waitingSince(run, waiting),
        finishedAt: TERMINAL_STATUSES.has(status) ? new Date() : null,
        ...(status === "failed" && error ? { error } : {}),
      },
    });
  }
  return { upstream, status };
}

/** What a finished run said, as chat text: the model's reply, a plan, or the coding agent's result. */
export function replyText(upstream: Upstream | null): string {
  if (upstream === null) return `${SERVER_DELETED}.`;
  if (upstream.service === "smith") {
    const session = upstream.view;
    if (session.agent_result?.result) return session.agent_result.result;
    return session.status === "exited" ? `The session ended with exit code ${session.exit_code ?? "unknown"}.` : `The session ${session.status}.`;
  }
  const execution = upstream.view;
  if (execution.error) return `The agent failed: ${execution.error}`;
  const result = execution.result;
  if (result && typeof result === "object" && "text" in result && typeof result.text === "string") return result.text;
  if (typeof result === "string") return result;
  return result == null ? `The run ${execution.status}.` : JSON.stringify(result, null, 2);
}
