// Runs finish in the agent services; the control plane hears of it when something asks (the run
// page's runs.get, a conversation's reply). A run nobody opens (started over the REST API, or left
// while it ran) would stay "running" in the runs list and count as unfinished in analytics, however
// it ended. This asks the services about unfinished runs in the background, a batch per turn.
import type { DispatchContext } from "./dispatch";
import { syncRun } from "./run-sync";

export interface ReconcileTurn {
  /** Unfinished runs asked about. */
  checked: number;
  /** Of those, runs whose recorded status changed. */
  changed: number;
  /** Runs whose service could not say (down, key refused, server gone): they keep their status. */
  unanswered: number;
  /** The id to continue after next turn ("" to start over). */
  next: string;
}

/**
 * One turn: up to `batch` unfinished runs (of every organization, each asked through its own
 * server) after `after` in id order, `concurrency` at a time. Every unfinished run gets its turn,
 * however many there are; a service that does not answer never stops the others.
 */
export async function reconcileRuns(ctx: DispatchContext, opts: { after?: string; batch?: number; concurrency?: number } = {}): Promise<ReconcileTurn> {
  const batch = opts.batch ?? 50;
  // The statuses as literals, so PostgreSQL can use the partial index of unfinished runs
  // (agent_runs_unfinished_idx); a parameter would not prove the index's condition.
  const ids = await ctx.db.$queryRaw<{ id: string }[]>`SELECT id FROM agent_runs
    WHERE status IN ('queued', 'running') AND external_id IS NOT NULL AND id > ${opts.after ?? ""} ORDER BY id LIMIT ${batch}`;
  const runs = await ctx.db.agentRun.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    orderBy: { id: "asc" },
    select: { id: true, organizationId: true, service: true, externalId: true, status: true, waitingSince: true, serverId: true },
  });
  const turn: ReconcileTurn = { checked: runs.length, changed: 0, unanswered: 0, next: ids.length === batch ? ids.at(-1)!.id : "" };
  let at = 0;
  const worker = async () => {
    while (at < runs.length) {
      const run = runs[at++]!;
      try {
        const synced = await syncRun(ctx, run);
        if (synced && synced.status !== run.status) turn.changed++;
      } catch {
        turn.unanswered++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, runs.length) }, worker));
  return turn;
}

/**
 * Reconciles every `intervalMs` (each turn starts after the last one ended, so a slow service never
 * piles turns up). Returns the stop function. A failing turn (the database away) is reported once per
 * distinct message and retried on the next turn.
 */
export function startRunReconciler(ctx: () => DispatchContext, intervalMs: number, warn: (message: string) => void = console.warn) {
  let after = "";
  let stopped = false;
  let lastError = "";
  let timer: NodeJS.Timeout | undefined;
  const turn = async () => {
    try {
      after = (await reconcileRuns(ctx(), { after })).next;
      lastError = "";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) warn(`run status reconciler: ${message} (retrying every ${intervalMs} ms)`);
      lastError = message;
    }
    if (!stopped) timer = setTimeout(() => void turn(), intervalMs).unref();
  };
  timer = setTimeout(() => void turn(), intervalMs).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
