import { type AgentType } from "@kayos/contracts";
import type { Prisma } from "@kayos/db/control";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { nexusApi } from "../../clients/nexus";
import { smithApi } from "../../clients/smith";
import { assertAgentAccess } from "../../services/agent-access";
import { clientsFor, dispatchRun, runStatusOfExecution, runStatusOfSession, serverFor } from "../../services/dispatch";
import { createTRPCRouter, orgMutation, orgProcedure } from "../../trpc";
import { executeInput, listRunsInput } from "./schema";

const byId = z.object({ id: z.string() });
const TERMINAL = new Set(["succeeded", "failed", "stopped"]);

async function findRun(ctx: { db: Prisma.TransactionClient; org: { id: string } }, id: string) {
  const run = await ctx.db.agentRun.findFirst({
    where: { id, organizationId: ctx.org.id },
    include: { agent: { select: { id: true, name: true, serverId: true } }, agentVersion: { select: { version: true } } },
  });
  if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `No run ${id} in this organization` });
  return run;
}

export const runsRouter = createTRPCRouter({
  /** Runs a saved agent (role "execute" or a "use" grant) or, as the seed's REST does, an ad-hoc type. */
  execute: orgMutation("runs", "read")
    .input(executeInput)
    .mutation(async ({ ctx, input }) => {
      if ("agentId" in input) {
        const agent = await assertAgentAccess(ctx, input.agentId, "use");
        const version = input.useDraft
          ? null
          : await ctx.db.agentVersion.findFirst({ where: { agentId: agent.id }, orderBy: { version: "desc" } });
        const source = version ?? agent;
        return dispatchRun(ctx, {
          organizationId: ctx.org.id,
          userId: ctx.user.id,
          agentType: source.agentType as AgentType,
          config: source.config as Record<string, unknown>,
          prompt: input.prompt,
          agentId: agent.id,
          agentVersionId: version?.id ?? null,
          serverId: agent.serverId,
        });
      }
      if (!(await ctx.authz.can(ctx.org.role, ctx.org.id, "agents", "execute")) || (ctx.token && !ctx.token.scopes.includes("execute"))) {
        throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${ctx.org.role}) may not run agents` });
      }
      const { agent_type, prompt, ...config } = input;
      return dispatchRun(ctx, { organizationId: ctx.org.id, userId: ctx.user.id, agentType: agent_type, config, prompt });
    }),

  list: orgProcedure("runs", "read")
    .input(listRunsInput)
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.agentRun.findMany({
        where: { organizationId: ctx.org.id, agentId: input.agentId, status: input.status },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
        include: { agent: { select: { id: true, name: true } }, agentVersion: { select: { version: true } } },
      });
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
    }),

  /** The run, refreshed from the service that runs it while it is not finished. */
  get: orgProcedure("runs", "read")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const run = await findRun(ctx, input.id);
      if (TERMINAL.has(run.status) || !run.externalId) return run;
      const clients = clientsFor(ctx, await serverFor(ctx, ctx.org.id, run.agent?.serverId));
      const status =
        run.service === "nexus"
          ? runStatusOfExecution(await nexusApi(clients.nexus).get(run.externalId))
          : runStatusOfSession(await smithApi(clients.smith).get(run.externalId));
      if (status === run.status) return run;
      await ctx.db.agentRun.update({
        where: { id: run.id },
        data: { status, finishedAt: TERMINAL.has(status) ? new Date() : null },
      });
      return findRun(ctx, run.id);
    }),

  stop: orgMutation("runs", "write")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const run = await findRun(ctx, input.id);
      if (TERMINAL.has(run.status)) throw new TRPCError({ code: "CONFLICT", message: `The run already ${run.status}` });
      if (!run.externalId) throw new TRPCError({ code: "CONFLICT", message: "The run never started" });
      const clients = clientsFor(ctx, await serverFor(ctx, ctx.org.id, run.agent?.serverId));
      if (run.service === "nexus") await nexusApi(clients.nexus).stop(run.externalId);
      else await smithApi(clients.smith).stop(run.externalId);
      return ctx.db.agentRun.update({ where: { id: run.id }, data: { status: "stopped", finishedAt: new Date() } });
    }),
});
