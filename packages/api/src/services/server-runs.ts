// A removed server takes its unfinished runs with it: nothing could ask its services how they end
// afterwards, so they are stopped there with the server's record in hand, and each run records how.
// They are marked stopped together with the server's deletion: a look at a run (its page, the
// reconciler) that found the server gone while it was being stopped would otherwise fail the run as
// an orphan, and the removal would then leave it running on the host.
import type { CustomerServer, Prisma } from "@kayos/db/control";
import { clientsFor, stopOnService, type DispatchContext } from "./dispatch";
import { UNFINISHED_STATUSES } from "./run-status";

type ServerRun = { id: string; service: string; externalId: string | null };

const stoppedMessage = (server: Pick<CustomerServer, "name">) => `Stopped: its server "${server.name}" was deleted`;

/** Marks the server's unfinished runs stopped (in the transaction deleting it); returns them for stopRunsOnHost. */
export async function markRunsOfServerStopped(db: Prisma.TransactionClient, server: CustomerServer): Promise<ServerRun[]> {
  const runs = await db.agentRun.findMany({
    where: { organizationId: server.organizationId, serverId: server.id, status: { in: UNFINISHED_STATUSES } },
    select: { id: true, service: true, externalId: true },
  });
  if (runs.length > 0) {
    await db.agentRun.updateMany({
      where: { id: { in: runs.map((r) => r.id) }, status: { in: UNFINISHED_STATUSES } },
      data: { status: "stopped", finishedAt: new Date(), waitingSince: null, error: stoppedMessage(server) },
    });
  }
  return runs;
}

/** Stops the runs on the server's services (all at once, each bounded by the service timeout); a failed stop is recorded. */
export async function stopRunsOnHost(ctx: DispatchContext, server: CustomerServer, runs: ServerRun[]) {
  if (runs.length === 0) return;
  const clients = clientsFor(ctx, server);
  const stops = await Promise.allSettled(
    runs.map(async ({ service, externalId }) => {
      if (externalId) await stopOnService(clients, { service, externalId });
    }),
  );
  const failed = runs.flatMap((run, i) => {
    const stop = stops[i]!;
    return stop.status === "rejected" ? [{ run, reason: reason(stop.reason) }] : [];
  });
  if (failed.length === 0) return;
  await ctx.db.$transaction(
    failed.map(({ run, reason }) =>
      ctx.db.agentRun.updateMany({
        // Only the stop recorded above (a run stopped by someone else meanwhile keeps that).
        where: { id: run.id, status: "stopped", error: stoppedMessage(server) },
        data: { status: "failed", error: `Its server "${server.name}" was deleted before the run finished; stopping it there failed: ${reason}` },
      }),
    ),
  );
}

/** Both, for runs recorded after the server's deletion (a run that started while it was removed). */
export async function endRunsOfServer(ctx: DispatchContext, server: CustomerServer) {
  await stopRunsOnHost(ctx, server, await markRunsOfServerStopped(ctx.db, server));
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
