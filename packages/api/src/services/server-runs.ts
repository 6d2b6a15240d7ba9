// A removed server takes its unfinished runs with it: nothing could ask its services how they end
// afterwards, so they are stopped there with the server's record in hand, and each run records how.
import type { CustomerServer } from "@kayos/db/control";
import { clientsFor, stopOnService, type DispatchContext } from "./dispatch";
import { UNFINISHED_STATUSES } from "./run-status";

/** Stops the server's unfinished runs (all at once, each bounded by the service timeout) and records how each ended. */
export async function endRunsOfServer(ctx: DispatchContext, server: CustomerServer) {
  const runs = await ctx.db.agentRun.findMany({
    where: { organizationId: server.organizationId, serverId: server.id, status: { in: UNFINISHED_STATUSES } },
    select: { id: true, service: true, externalId: true },
  });
  if (runs.length === 0) return;
  const clients = clientsFor(ctx, server);
  const stops = await Promise.allSettled(
    runs.map(async ({ service, externalId }) => {
      if (externalId) await stopOnService(clients, { service, externalId });
    }),
  );
  const finishedAt = new Date();
  await ctx.db.$transaction(
    runs.map((run, i) => {
      const stop = stops[i]!;
      return ctx.db.agentRun.updateMany({
        // A run that ended meanwhile keeps how it ended.
        where: { id: run.id, status: { in: UNFINISHED_STATUSES } },
        data:
          stop.status === "fulfilled"
            ? { status: "stopped", finishedAt, waitingSince: null, error: `Stopped: its server "${server.name}" was deleted` }
            : {
                status: "failed",
                finishedAt,
                waitingSince: null,
                error: `Its server "${server.name}" was deleted before the run finished; stopping it there failed: ${reason(stop.reason)}`,
              },
      });
    }),
  );
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
