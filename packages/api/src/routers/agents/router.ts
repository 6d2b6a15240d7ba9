import type { Prisma } from "@kayos/db/control";
import { TRPCError } from "@trpc/server";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { assertAgentAccess } from "../../services/agent-access";
import { createTRPCRouter, orgMutation, orgProcedure } from "../../trpc";
import { agentConfigByType, createAgentInput, setGrantInput, updateDraftInput } from "./schema";

const byId = z.object({ id: z.string() });

const listFields = {
  id: true,
  name: true,
  description: true,
  agentType: true,
  latestVersion: true,
  serverId: true,
  updatedAt: true,
  createdAt: true,
} as const satisfies Prisma.AgentSelect;

function parseConfig(agentType: string, config: unknown) {
  const schema = agentConfigByType[agentType as keyof typeof agentConfigByType];
  if (!schema) throw new TRPCError({ code: "BAD_REQUEST", message: `Unknown agent type ${agentType}` });
  const parsed = schema.safeParse(config);
  if (!parsed.success) {
    // The schema's messages name the field already ("Workspace is required…"); the first per field is enough.
    const first = new Map<string, string>();
    for (const i of parsed.error.issues) if (!first.has(i.path.join("."))) first.set(i.path.join("."), i.message);
    const problems = [...first.values()].join("; ");
    throw new TRPCError({ code: "BAD_REQUEST", message: problems, cause: parsed.error });
  }
  return parsed.data as Prisma.InputJsonObject;
}

async function assertServerInOrg(db: Prisma.TransactionClient, organizationId: string, serverId?: string | null) {
  if (serverId && !(await db.customerServer.count({ where: { id: serverId, organizationId } }))) {
    throw new TRPCError({ code: "NOT_FOUND", message: `No server ${serverId} in this organization` });
  }
}

const conflictOnName = (name: string) => (error: unknown) => {
  if ((error as { code?: string }).code === "P2002") {
    throw new TRPCError({ code: "CONFLICT", message: `An agent named "${name}" already exists` });
  }
  throw error;
};

export const agentsRouter = createTRPCRouter({
  list: orgProcedure("agents", "read").query(({ ctx }) =>
    ctx.db.agent.findMany({ where: { organizationId: ctx.org.id }, orderBy: { updatedAt: "desc" }, select: listFields }),
  ),

  get: orgProcedure("agents", "read")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const agent = await ctx.db.agent.findFirst({
        where: { id: input.id, organizationId: ctx.org.id },
        select: {
          ...listFields,
          config: true,
          versions: { orderBy: { version: "desc" }, select: { id: true, version: true, name: true, agentType: true, config: true, createdAt: true, publishedById: true } },
          grants: { select: { id: true, permission: true, user: { select: { id: true, email: true, name: true } } } },
        },
      });
      if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: `No agent ${input.id} in this organization` });
      return agent;
    }),

  create: orgMutation("agents", "write")
    .input(createAgentInput)
    .mutation(async ({ ctx, input }) => {
      await assertServerInOrg(ctx.db, ctx.org.id, input.serverId);
      return ctx.db.agent
        .create({
          data: {
            organizationId: ctx.org.id,
            name: input.name,
            description: input.description,
            agentType: input.agentType,
            config: input.config as Prisma.InputJsonObject,
            serverId: input.serverId ?? null,
            createdById: ctx.user.id,
          },
          select: listFields,
        })
        .catch(conflictOnName(input.name));
    }),

  /** Edits the draft; published versions never change. Role "write" or an "edit" grant. */
  updateDraft: orgMutation("agents", "read")
    .input(updateDraftInput)
    .mutation(async ({ ctx, input }) => {
      const agent = await assertAgentAccess(ctx, input.id, "edit");
      await assertServerInOrg(ctx.db, ctx.org.id, input.serverId);
      return ctx.db.agent
        .update({
          where: { id: agent.id },
          data: {
            name: input.name,
            description: input.description,
            serverId: input.serverId,
            ...(input.config ? { config: parseConfig(agent.agentType, input.config) } : {}),
          },
          select: listFields,
        })
        .catch(conflictOnName(input.name ?? agent.name));
    }),

  /** Freezes the draft as the next immutable version. */
  publish: orgMutation("agents", "read")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const agent = await assertAgentAccess(ctx, input.id, "edit");
      return ctx.db.$transaction(async (tx) => {
        const latest = await tx.agentVersion.findFirst({ where: { agentId: agent.id }, orderBy: { version: "desc" } });
        const same =
          latest &&
          latest.name === agent.name &&
          latest.description === agent.description &&
          isDeepStrictEqual(latest.config, agent.config);
        if (same) throw new TRPCError({ code: "CONFLICT", message: `Nothing changed since version ${latest.version}` });
        // The guarded update serializes concurrent publishes: only one can move latest_version.
        const { count } = await tx.agent.updateMany({
          where: { id: agent.id, latestVersion: agent.latestVersion },
          data: { latestVersion: agent.latestVersion + 1 },
        });
        if (count === 0) throw new TRPCError({ code: "CONFLICT", message: "Someone else published at the same time; reload" });
        return tx.agentVersion.create({
          data: {
            organizationId: ctx.org.id,
            agentId: agent.id,
            version: agent.latestVersion + 1,
            name: agent.name,
            description: agent.description,
            agentType: agent.agentType,
            config: agent.config as Prisma.InputJsonValue,
            publishedById: ctx.user.id,
          },
          select: { id: true, version: true, createdAt: true },
        });
      });
    }),

  /** Copies an old version into the draft (publish again to make it current). */
  restoreVersion: orgMutation("agents", "read")
    .input(z.object({ id: z.string(), version: z.number().int().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const agent = await assertAgentAccess(ctx, input.id, "edit");
      const version = await ctx.db.agentVersion.findUnique({ where: { agentId_version: { agentId: agent.id, version: input.version } } });
      if (!version) throw new TRPCError({ code: "NOT_FOUND", message: `Agent has no version ${input.version}` });
      return ctx.db.agent
        .update({
          where: { id: agent.id },
          data: { name: version.name, description: version.description, config: version.config as Prisma.InputJsonValue },
          select: listFields,
        })
        .catch(conflictOnName(version.name));
    }),

  remove: orgMutation("agents", "delete")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const { count } = await ctx.db.agent.deleteMany({ where: { id: input.id, organizationId: ctx.org.id } });
      if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: `No agent ${input.id} in this organization` });
      return { id: input.id };
    }),

  setGrant: orgMutation("members", "write")
    .input(setGrantInput)
    .mutation(async ({ ctx, input }) => {
      await assertAgentAccess(ctx, input.agentId, "edit");
      const member = await ctx.db.membership.count({ where: { userId: input.userId, organizationId: ctx.org.id } });
      if (!member) throw new TRPCError({ code: "NOT_FOUND", message: `No member ${input.userId} in this organization` });
      const key = { agentId: input.agentId, userId: input.userId, permission: input.permission };
      if (input.granted) {
        await ctx.db.agentGrant.upsert({
          where: { agentId_userId_permission: key },
          create: { ...key, organizationId: ctx.org.id },
          update: {},
        });
      } else {
        await ctx.db.agentGrant.deleteMany({ where: key });
      }
      return { id: input.agentId, ...key, granted: input.granted };
    }),
});
