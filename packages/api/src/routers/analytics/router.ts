import { z } from "zod";
import { observerApi } from "../../clients/observer";
import { clientsFor, clientsOfRun, serverFor } from "../../services/dispatch";
import { runStats } from "../../services/run-stats";
import { createTRPCRouter, orgProcedure } from "../../trpc";

export const analyticsRouter = createTRPCRouter({
  /**
   * The seed's `GET /api/v1/analytics/session/{id}`: tokens, cost, files, duration of one session,
   * from Observer. `id` is a run id or the agent service's session/execution id.
   */
  session: orgProcedure("analytics", "read")
    .input(z.object({ id: z.string().min(1) }))
    .query(async ({ ctx, input }) => {
      const run = await ctx.db.agentRun.findFirst({
        where: { organizationId: ctx.org.id, OR: [{ id: input.id }, { externalId: input.id }] },
      });
      const clients = run ? await clientsOfRun(ctx, run) : clientsFor(ctx, await serverFor(ctx, ctx.org.id));
      return observerApi(clients.observer).metrics(run?.externalId ?? input.id);
    }),

  /** The organization's runs over a time range, from the control plane: per agent, durations, error rate per day. */
  runs: orgProcedure("analytics", "read")
    .input(z.object({ days: z.number().int().min(1).max(365).default(7) }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.agentRun.findMany({
        where: { organizationId: ctx.org.id, createdAt: { gte: new Date(Date.now() - input.days * 86_400_000) } },
        select: { status: true, agentType: true, createdAt: true, startedAt: true, finishedAt: true, agent: { select: { name: true } } },
        orderBy: { createdAt: "desc" },
        take: 20_000,
      });
      return runStats(rows);
    }),

  /** Per organization over a time range: sessions, tokens and cost per day and model, failures. */
  dashboard: orgProcedure("analytics", "read")
    .input(z.object({ days: z.number().int().min(1).max(365).default(7) }))
    .query(async ({ ctx, input }) => {
      const clients = clientsFor(ctx, await serverFor(ctx, ctx.org.id));
      const since = new Date(Date.now() - input.days * 86_400_000).toISOString();
      return observerApi(clients.observer).dashboard({ since });
    }),
});
