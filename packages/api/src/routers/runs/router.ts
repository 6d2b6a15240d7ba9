import { type AgentType } from "@kayos/contracts";
import type { Prisma } from "@kayos/db/control";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { nexusApi } from "../../clients/nexus";
import { smithApi } from "../../clients/smith";
import { assertAgentAccess, assertMayRunAgents, runnableVersion } from "../../services/agent-access";
import { AppError } from "../../errors";
import { clientsOfRun, dispatchRun, serverOfRun, stopOnService } from "../../services/dispatch";
import { syncRun } from "../../services/run-sync";
import { TERMINAL_STATUSES as TERMINAL, UNFINISHED_STATUSES } from "../../services/run-status";
import { createTRPCRouter, orgMutation, orgProcedure } from "../../trpc";
import { answerInput, decideInput, executeInput, listRunsInput } from "./schema";

const byId = z.object({ id: z.string() });

async function findRun(ctx: { db: Prisma.TransactionClient; org: { id: string } }, id: string) {
  const run = await ctx.db.agentRun.findFirst({
    where: { id, organizationId: ctx.org.id },
    include: { agent: { select: { id: true, name: true, serverId: true } }, agentVersion: { select: { version: true } } },
  });
  if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `No run ${id} in this organization` });
  return run;
}

type FoundRun = Awaited<ReturnType<typeof findRun>>;

/** A started run of the organization that `accepts` (else BAD_REQUEST saying `refusal`), with its service's id. */
async function startedRun(ctx: Parameters<typeof findRun>[0], id: string, accepts: (run: FoundRun) => boolean, refusal: string) {
  const run = await findRun(ctx, id);
  if (!accepts(run) || !run.externalId) throw new TRPCError({ code: "BAD_REQUEST", message: refusal });
  return { ...run, externalId: run.externalId };
}

/** A Claude Code run of the organization, started on Smith. */
const codingRun = (ctx: Parameters<typeof findRun>[0], id: string) =>
  startedRun(ctx, id, (run) => run.agentType === "claude_code", "Only coding-agent runs (claude_code) report agent events and approvals");

/** A run of the organization on Nexus (conversational, planners, KayGraph). */
const nexusRun = (ctx: Parameters<typeof findRun>[0], id: string) =>
  startedRun(ctx, id, (run) => run.service === "nexus", "Only runs on Nexus (planners and graphs) wait for answers");

export const runsRouter = createTRPCRouter({
  /** Runs a saved agent (role "execute" or a "use" grant) or, as the seed's REST does, an ad-hoc type. */
  execute: orgMutation("runs", "read")
    .input(executeInput)
    .mutation(async ({ ctx, input }) => {
      if ("agentId" in input) {
        const agent = await assertAgentAccess(ctx, input.agentId, "use");
        const source = await runnableVersion(ctx.db, agent, input.useDraft);
        const { run } = await dispatchRun(ctx, {
          organizationId: ctx.org.id,
          userId: ctx.user.id,
          agentType: source.agentType as AgentType,
          config: source.config,
          prompt: input.prompt,
          agentId: agent.id,
          agentVersionId: source.versionId,
          serverId: agent.serverId,
        });
        return run;
      }
      await assertMayRunAgents(ctx);
      const { agent_type, prompt, ...config } = input;
      const { run } = await dispatchRun(ctx, { organizationId: ctx.org.id, userId: ctx.user.id, agentType: agent_type, config, prompt });
      return run;
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
      // Where each ran, by name (null: a server deleted since).
      const servers = new Map(
        (await ctx.db.customerServer.findMany({ where: { organizationId: ctx.org.id }, select: { id: true, name: true } })).map((s) => [s.id, s.name]),
      );
      const items = rows.slice(0, input.limit).map((r) => ({ ...r, serverName: r.serverId === null ? null : (servers.get(r.serverId) ?? null) }));
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
    }),

  /**
   * The run, refreshed from the service that runs it while it is not finished; `waitingFor` is what a
   * graph run waits on a person for (from the same answer, so the run page asks Nexus once per poll);
   * `server` is the server it was started on, null once that server is deleted.
   */
  get: orgProcedure("runs", "read")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const run = await findRun(ctx, input.id);
      const found = await serverOfRun(ctx, run).catch((error: unknown) => {
        // An organization without any server (a run stored before it had one) shows as a deleted server.
        if (error instanceof AppError && error.code === "NOT_FOUND") return null;
        throw error;
      });
      const server = found && { id: found.id, name: found.name };
      if (TERMINAL.has(run.status)) return { ...run, server, waitingFor: null };
      const synced = await syncRun(ctx, run, found ?? undefined);
      const current = synced && synced.status !== run.status ? await findRun(ctx, run.id) : run;
      const waitingFor = synced?.upstream?.service === "nexus" && !TERMINAL.has(current.status) ? synced.upstream.view.waiting_for : null;
      return { ...current, server, waitingFor };
    }),

  /** Files a Smith run changed in its workspace, with unified diffs, and its git worktree when it ran in one. */
  changes: orgProcedure("runs", "read")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const run = await startedRun(ctx, input.id, (r) => r.service === "smith", "Only coding and shell runs (on Smith) change files");
      const smith = smithApi((await clientsOfRun(ctx, run)).smith);
      const [changes, session] = await Promise.all([smith.changes(run.externalId), smith.get(run.externalId)]);
      return { ...changes, worktree: session.worktree };
    }),

  /** A coding agent's structured activity: its messages, tool calls and results, and the final result. */
  events: orgProcedure("runs", "read")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const run = await codingRun(ctx, input.id);
      return smithApi((await clientsOfRun(ctx, run)).smith).events(run.externalId);
    }),

  /** The tool uses a coding agent run with `approvals: ask` asked about, each with its decision (null while it waits). */
  approvals: orgProcedure("runs", "read")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const run = await codingRun(ctx, input.id);
      return smithApi((await clientsOfRun(ctx, run)).smith).approvals(run.externalId);
    }),

  /** Allows or denies a tool use the agent waits for. */
  decide: orgMutation("runs", "write")
    .input(decideInput)
    .mutation(async ({ ctx, input }) => {
      const run = await codingRun(ctx, input.id);
      if (TERMINAL.has(run.status)) throw new TRPCError({ code: "CONFLICT", message: `The run already ${run.status}; there is nothing left to decide` });
      return smithApi((await clientsOfRun(ctx, run)).smith).decide(run.externalId, input.requestId, { behavior: input.behavior, message: input.message });
    }),

  /** Answers that question; the run goes on with the answer as the step's result. */
  answer: orgMutation("runs", "write")
    .input(answerInput)
    .mutation(async ({ ctx, input }) => {
      const run = await nexusRun(ctx, input.id);
      if (TERMINAL.has(run.status)) throw new TRPCError({ code: "CONFLICT", message: `The run already ${run.status}; there is nothing left to answer` });
      const view = await nexusApi((await clientsOfRun(ctx, run)).nexus).answer(run.externalId, input.answer);
      // The list stops saying it waits (or says since when it waits on the plan's next question).
      await ctx.db.agentRun.updateMany({
        where: { id: run.id, status: { in: UNFINISHED_STATUSES } },
        data: { waitingSince: view.waiting_for === null ? null : new Date() },
      });
      return view.waiting_for;
    }),

  stop: orgMutation("runs", "write")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const run = await findRun(ctx, input.id);
      if (TERMINAL.has(run.status)) throw new TRPCError({ code: "CONFLICT", message: `The run already ${run.status}` });
      if (!run.externalId) throw new TRPCError({ code: "CONFLICT", message: "The run never started" });
      await stopOnService(await clientsOfRun(ctx, run), { service: run.service, externalId: run.externalId });
      return ctx.db.agentRun.update({ where: { id: run.id }, data: { status: "stopped", finishedAt: new Date(), waitingSince: null } });
    }),
});
