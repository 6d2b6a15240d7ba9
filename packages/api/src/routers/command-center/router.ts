// The organization's Command Center: customize (branding, agents at pinned versions, tenants, end
// users), preview the generated config/agents.json, deploy to a customer server over SSH, roll back.
import { hashPassword } from "@kayos/command-center/auth/password";
import type { ControlDb, Prisma } from "@kayos/db/control";
import type { DeployStep } from "@kayos/deploy";
import { encryptSecret, generateToken } from "@kayos/db/secrets";
import { TRPCError } from "@trpc/server";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { DEPLOY_STALE_MS, releaseDir, runDeploy, runRollback, sshOf } from "../../services/command-center/deploy-job";
import { generateConfig, generateSecrets, isOfferable } from "../../services/command-center/generate-config";
import { serverFor } from "../../services/dispatch";
import { createTRPCRouter, orgMutation, orgProcedure } from "../../trpc";
import { assertDeployable } from "./assert-deployable";
import { commandCenterSettings, deployInput, endUserInput, rollbackInput, updateSettingsInput } from "./schema";

type Ctx = { db: ControlDb; org: { id: string }; config: { encryptionKey: string; serviceTimeoutMs: number } };

/** The organization's Command Center row, created with defaults on first use. */
async function commandCenterOf(ctx: Ctx) {
  // Reads stay reads: the row is written only the first time (a concurrent first use creates it once).
  const row =
    (await ctx.db.commandCenter.findUnique({ where: { organizationId: ctx.org.id } })) ??
    (await ctx.db.commandCenter.upsert({
      where: { organizationId: ctx.org.id },
      update: {},
      create: { organizationId: ctx.org.id, sessionSecretCiphertext: encryptSecret(generateToken("ccs"), ctx.config.encryptionKey) },
    }));
  return { row, settings: storedSettings(row.settings) };
}

/**
 * Settings saved before a rule was tightened may fail it now: those fields fall back to their
 * defaults, so the page still opens and the builder can save valid ones.
 */
function storedSettings(raw: unknown) {
  const parsed = commandCenterSettings.safeParse(raw);
  if (parsed.success) return parsed.data;
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  const kept = Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).filter(([k]) => !bad.has(k)));
  return commandCenterSettings.parse(kept);
}

async function targetServer(ctx: Ctx, serverId: string | null | undefined) {
  return serverFor(ctx, ctx.org.id, serverId);
}

const newVersion = () => `${new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}-${randomBytes(2).toString("hex")}`;

const deploymentFields = {
  id: true,
  kind: true,
  version: true,
  status: true,
  agentVersions: true,
  previous: true,
  error: true,
  log: true,
  createdAt: true,
  finishedAt: true,
  createdById: true,
  createdBy: { select: { name: true, email: true } },
  server: { select: { id: true, name: true } },
} as const satisfies Prisma.DeploymentSelect;

type DeploymentRow = Prisma.DeploymentGetPayload<{ select: typeof deploymentFields }>;
type AgentVersionRef = { agentId: string; name: string; version: number };

/** The row with its JSON columns typed as written (deploy-job.ts writes them). */
function deploymentView(d: DeploymentRow) {
  const settled = settleStale(d);
  return { ...settled, log: settled.log as unknown as DeployStep[], agentVersions: settled.agentVersions as unknown as AgentVersionRef[] };
}

/** A deployment whose worker vanished (the web process restarted) is reported as failed. */
function settleStale<D extends { status: string; createdAt: Date; error: string | null }>(d: D): D {
  if (d.status === "running" && Date.now() - d.createdAt.getTime() > DEPLOY_STALE_MS) {
    return { ...d, status: "failed", error: "The deployment stopped reporting progress; check the server and deploy again" };
  }
  return d;
}

export const commandCenterRouter = createTRPCRouter({
  get: orgProcedure("commandCenter", "read").query(async ({ ctx }) => {
    const { row, settings } = await commandCenterOf(ctx);
    const [users, agents, deployments] = await Promise.all([
      ctx.db.commandCenterUser.findMany({ where: { organizationId: ctx.org.id }, orderBy: { email: "asc" }, select: { id: true, email: true, name: true, tenant: true } }),
      ctx.db.agent.findMany({
        where: { organizationId: ctx.org.id },
        orderBy: { name: "asc" },
        select: { id: true, name: true, agentType: true, versions: { orderBy: { version: "desc" }, select: { version: true } } },
      }),
      ctx.db.deployment.findMany({ where: { organizationId: ctx.org.id }, orderBy: { createdAt: "desc" }, take: 10, select: deploymentFields }),
    ]);
    return {
      settings,
      serverId: row.serverId,
      users,
      agents: agents.map((a) => ({ ...a, offerable: isOfferable(a.agentType), versions: a.versions.map((v) => v.version) })),
      deployments: deployments.map(deploymentView),
    };
  }),

  update: orgMutation("commandCenter", "write")
    .input(updateSettingsInput)
    .mutation(async ({ ctx, input }) => {
      const { row } = await commandCenterOf(ctx);
      await assertDeployable(ctx, input.settings, input.serverId !== undefined ? input.serverId : row.serverId);
      return ctx.db.commandCenter.update({
        where: { organizationId: ctx.org.id },
        data: { settings: input.settings as unknown as Prisma.InputJsonObject, ...(input.serverId !== undefined ? { serverId: input.serverId } : {}) },
        select: { id: true, settings: true, serverId: true },
      });
    }),

  /** The `config/agents.json` a deploy would write, for the builder to read before deploying. */
  preview: orgProcedure("commandCenter", "read").query(async ({ ctx }) => {
    const { row, settings } = await commandCenterOf(ctx);
    const server = await targetServer(ctx, row.serverId);
    return (await generateConfig(ctx.db, ctx.org.id, settings, server)).config;
  }),

  saveUser: orgMutation("commandCenter", "write")
    .input(endUserInput)
    .mutation(async ({ ctx, input }) => {
      const { settings } = await commandCenterOf(ctx);
      if (!settings.tenants.some((t) => t.id === input.tenant)) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `No tenant "${input.tenant}": add it under Tenants first` });
      }
      const existing = await ctx.db.commandCenterUser.findUnique({ where: { organizationId_email: { organizationId: ctx.org.id, email: input.email } } });
      if (!existing && !input.password) throw new TRPCError({ code: "BAD_REQUEST", message: "password: a new end user needs a password" });
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      const select = { id: true, email: true, name: true, tenant: true } as const;
      return existing
        ? ctx.db.commandCenterUser.update({ where: { id: existing.id }, data: { name: input.name, tenant: input.tenant, ...(passwordHash ? { passwordHash } : {}) }, select })
        : ctx.db.commandCenterUser.create({ data: { organizationId: ctx.org.id, email: input.email, name: input.name, tenant: input.tenant, passwordHash: passwordHash! }, select });
    }),

  removeUser: orgMutation("commandCenter", "write")
    .input(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const { count } = await ctx.db.commandCenterUser.deleteMany({ where: { id: input.id, organizationId: ctx.org.id } });
      if (!count) throw new TRPCError({ code: "NOT_FOUND", message: `No end user ${input.id} in this organization` });
      return { id: input.id };
    }),

  /** Starts a deployment and answers at once; its steps appear on `deployment` as they happen. */
  deploy: orgMutation("commandCenter", "execute")
    .input(deployInput)
    .mutation(async ({ ctx, input }) => {
      const { row, settings } = await commandCenterOf(ctx);
      const server = await targetServer(ctx, input.serverId ?? row.serverId);
      // Checked before anything is recorded; the job uses what was checked.
      const ssh = sshOf(server, ctx.config.encryptionKey);
      const release = releaseDir(ctx.config);
      if (settings.agents.length === 0) throw new TRPCError({ code: "BAD_REQUEST", message: "Offer at least one agent before deploying" });
      const running = await ctx.db.deployment.findFirst({ where: { organizationId: ctx.org.id, status: "running" }, select: { createdAt: true, status: true, error: true } });
      if (running && settleStale(running).status === "running") throw new TRPCError({ code: "CONFLICT", message: "A deployment is already running; wait for it to finish" });
      const { config, agentVersions } = await generateConfig(ctx.db, ctx.org.id, settings, server);
      const secrets = await generateSecrets(ctx.db, ctx.org.id, { sessionSecretCiphertext: row.sessionSecretCiphertext, server, encryptionKey: ctx.config.encryptionKey });
      const deployment = await ctx.db.deployment.create({
        data: {
          organizationId: ctx.org.id,
          serverId: server.id,
          version: newVersion(),
          agentVersions: agentVersions as unknown as Prisma.InputJsonArray,
          config: config as unknown as Prisma.InputJsonObject,
          createdById: ctx.user.id,
        },
        select: deploymentFields,
      });
      void runDeploy(ctx.db, deployment.id, {
        server,
        ssh,
        releaseDir: release,
        settings,
        version: deployment.version,
        files: { "config/agents.json": `${JSON.stringify(config, null, 2)}\n` },
        secrets,
      });
      return deployment;
    }),

  /** Switches back to the previous release (or a named one) by hand. */
  rollback: orgMutation("commandCenter", "execute")
    .input(rollbackInput)
    .mutation(async ({ ctx, input }) => {
      const { row, settings } = await commandCenterOf(ctx);
      const last = await ctx.db.deployment.findFirst({ where: { organizationId: ctx.org.id, status: { in: ["succeeded", "rolled_back"] } }, orderBy: { createdAt: "desc" } });
      if (!last) throw new TRPCError({ code: "CONFLICT", message: "Nothing is deployed yet, so there is nothing to roll back" });
      const server = await targetServer(ctx, last.serverId ?? row.serverId);
      const ssh = sshOf(server, ctx.config.encryptionKey);
      const deployment = await ctx.db.deployment.create({
        data: { organizationId: ctx.org.id, serverId: server.id, kind: "rollback", version: input.to ?? "previous", createdById: ctx.user.id },
        select: deploymentFields,
      });
      void runRollback(ctx.db, deployment.id, { server, ssh, settings, to: input.to });
      return deployment;
    }),

  deployment: orgProcedure("commandCenter", "read")
    .input(z.object({ id: z.string() }))
    .query(async ({ ctx, input }) => {
      const deployment = await ctx.db.deployment.findFirst({ where: { id: input.id, organizationId: ctx.org.id }, select: deploymentFields });
      if (!deployment) throw new TRPCError({ code: "NOT_FOUND", message: `No deployment ${input.id} in this organization` });
      return deploymentView(deployment);
    }),
});
