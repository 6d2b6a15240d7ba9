// Ending a run from outside the process that runs it (a stop sent to another process, or a run
// left by a process that died), and closing a run's stream when another process ended it. Only one
// process writes a run's event sequence, so these never race a runner for a sequence number.
import type { ExecutionStatus } from "@kayos/contracts";
import { TERMINAL_STATUSES } from "@kayos/contracts";
import type { Prisma } from "@kayos/db/agents";
import type { ExecutionRow } from "../store/executions";
import type { NexusDeps } from "./deps";
import type { LiveExecution } from "./event-hub";
import { totalsOf } from "./totals";

/** How long a stop waits for the process running the run to close its stream. */
const OWNER_CLOSE_MS = 2000;

/**
 * Ends a run this process does not run. When `owned`, the process running it is told (at once, not
 * at its next heartbeat) and writes the closing events itself; they are written here only if it does
 * not within a few seconds.
 */
export async function endElsewhere(deps: NexusDeps, row: ExecutionRow, status: ExecutionStatus, error: string | null, owned = false) {
  const { executions, events } = deps;
  if (!(await executions.finish(row.id, status, { error, totals: totalsOf(row) }))) return;
  await executions.announceEnded(row.id).catch(() => undefined);
  if (owned && (await closedWithin(deps, row.id, OWNER_CLOSE_MS))) return;
  const write = (type: string, data: Prisma.InputJsonValue) => events.append({ organizationId: row.organizationId, executionId: row.id, type, data });
  if (error) await write("error", { message: error });
  await write("done", { status, error });
}

/** Another process ended this run: close its stream with the status that process recorded. */
export async function closeEndedElsewhere(deps: NexusDeps, live: LiveExecution, id: string) {
  // Failing here leaves the closing to the process that ended the run (see endElsewhere).
  const row = await deps.executions.find(id).catch((e: unknown) => void deps.logError(e));
  if (!row || !TERMINAL_STATUSES.includes(row.status)) return;
  await live.persisted();
  if ((await deps.events.last(id).catch(() => null))?.type === "done") return;
  if (row.error) live.emit("error", { message: row.error });
  live.emit("done", { status: row.status, error: row.error });
}

async function closedWithin(deps: NexusDeps, id: string, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await deps.events.last(id))?.type === "done") return true;
    await new Promise((resolve) => setTimeout(resolve, 50).unref());
  }
  return false;
}
