import type { Prisma } from "@kayos/db/control";
import { decryptSecret, encryptSecret } from "@kayos/db/secrets";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { clientsForServer } from "../../clients/for-server";
import { markRunsOfServerStopped, stopRunsOnHost } from "../../services/server-runs";
import { checkServices } from "../../services/service-health";
import { checkSsh, pinHostKey } from "../../services/ssh-check";
import { createTRPCRouter, orgMutation, orgProcedure } from "../../trpc";
import { createServerInput, updateServerInput } from "./schema";

// Keys and SSH credentials are write-only: no select here ever returns them.
const publicFields = {
  id: true,
  name: true,
  nexusUrl: true,
  smithUrl: true,
  observerUrl: true,
  sshHost: true,
  sshPort: true,
  sshUser: true,
  sshHostKey: true,
  isDefault: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.CustomerServerSelect;

const byId = z.object({ id: z.string() });

async function findServer(ctx: { db: Prisma.TransactionClient; org: { id: string } }, id: string) {
  const server = await ctx.db.customerServer.findFirst({ where: { id, organizationId: ctx.org.id } });
  if (!server) throw new TRPCError({ code: "NOT_FOUND", message: `No server ${id} in this organization` });
  return server;
}

type SshAccess = { host: string; port: number; user: string };

function sshFields(ssh: SshAccess | null, keyCiphertext: string | null) {
  return ssh
    ? // New access, new trust: the host key is pinned again on the next contact.
      { sshHost: ssh.host, sshPort: ssh.port, sshUser: ssh.user, sshKeyCiphertext: keyCiphertext, sshHostKey: null }
    : { sshHost: null, sshPort: null, sshUser: null, sshKeyCiphertext: null, sshHostKey: null };
}

/** Names are unique per organization (a database constraint): say so instead of a Prisma error. */
function nameTaken(error: unknown, name: string | undefined) {
  if ((error as { code?: string }).code !== "P2002") return error;
  return new TRPCError({ code: "CONFLICT", message: `A server named "${name}" already exists: choose another name` });
}

export const serversRouter = createTRPCRouter({
  list: orgProcedure("servers", "read").query(({ ctx }) =>
    ctx.db.customerServer.findMany({
      where: { organizationId: ctx.org.id },
      orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }],
      select: publicFields,
    }),
  ),

  get: orgProcedure("servers", "read")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const server = await ctx.db.customerServer.findFirst({
        where: { id: input.id, organizationId: ctx.org.id },
        select: publicFields,
      });
      if (!server) throw new TRPCError({ code: "NOT_FOUND", message: `No server ${input.id} in this organization` });
      return server;
    }),

  create: orgMutation("servers", "write")
    .input(createServerInput)
    .mutation(async ({ ctx, input }) => {
      const { apiKey, ssh, ...urls } = input;
      const existing = await ctx.db.customerServer.count({ where: { organizationId: ctx.org.id } });
      try {
        return await ctx.db.customerServer.create({
          data: {
            organizationId: ctx.org.id,
            ...urls,
            isDefault: existing === 0,
            apiKeyCiphertext: encryptSecret(apiKey, ctx.config.encryptionKey),
            ...sshFields(ssh ?? null, ssh ? encryptSecret(ssh.privateKey, ctx.config.encryptionKey) : null),
          },
          select: publicFields,
        });
      } catch (error) {
        throw nameTaken(error, input.name);
      }
    }),

  update: orgMutation("servers", "write")
    .input(updateServerInput)
    .mutation(async ({ ctx, input }) => {
      const { id, apiKey, ssh, ...rest } = input;
      const server = await findServer(ctx, id);
      // SSH access saved without a key keeps the stored one: re-saving it is how a new host key is trusted.
      const keyCiphertext = ssh?.privateKey
        ? encryptSecret(ssh.privateKey, ctx.config.encryptionKey)
        : server.sshKeyCiphertext;
      if (ssh && !keyCiphertext) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "Paste the SSH private key: this server has none stored yet",
        });
      }
      try {
        return await ctx.db.customerServer.update({
          where: { id },
          data: {
            ...rest,
            ...(apiKey ? { apiKeyCiphertext: encryptSecret(apiKey, ctx.config.encryptionKey) } : {}),
            ...(ssh === undefined ? {} : sshFields(ssh, keyCiphertext)),
          },
          select: publicFields,
        });
      } catch (error) {
        throw nameTaken(error, input.name);
      }
    }),

  remove: orgMutation("servers", "delete")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const server = await findServer(ctx, input.id);
      // Deleted first, so no run starts on it meanwhile, with its unfinished runs marked stopped; its
      // record still reaches its services, where they are stopped next.
      const runs = await ctx.db.$transaction(async (tx) => {
        const runs = await markRunsOfServerStopped(tx, server);
        await tx.customerServer.delete({ where: { id: input.id } });
        // The oldest server left takes over as the default (where agents without a server run).
        if (server.isDefault) {
          const next = await tx.customerServer.findFirst({ where: { organizationId: ctx.org.id }, orderBy: { createdAt: "asc" }, select: { id: true } });
          if (next) await tx.customerServer.update({ where: { id: next.id }, data: { isDefault: true } });
        }
        return runs;
      });
      await stopRunsOnHost(ctx, server, runs);
      return { id: input.id };
    }),

  /** Makes it the organization's default: where agents without a server of their own (and ad-hoc runs) run. */
  setDefault: orgMutation("servers", "write")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      await findServer(ctx, input.id);
      const [, server] = await ctx.db.$transaction([
        ctx.db.customerServer.updateMany({ where: { organizationId: ctx.org.id, isDefault: true, NOT: { id: input.id } }, data: { isDefault: false } }),
        ctx.db.customerServer.update({ where: { id: input.id }, data: { isDefault: true }, select: publicFields }),
      ]);
      return server;
    }),

  /** Checks both ways in: the agent services over HTTP with the stored key, and SSH when configured. */
  testConnection: orgProcedure("servers", "read")
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const server = await findServer(ctx, input.id);
      const clients = clientsForServer(server, ctx.config.encryptionKey, { timeoutMs: ctx.config.serviceTimeoutMs });
      const [services, ssh] = await Promise.all([
        checkServices(clients),
        server.sshHost && server.sshUser && server.sshKeyCiphertext
          ? checkSsh({
              host: server.sshHost,
              port: server.sshPort ?? 22,
              user: server.sshUser,
              privateKey: decryptSecret(server.sshKeyCiphertext, ctx.config.encryptionKey),
              hostKey: server.sshHostKey,
            })
          : Promise.resolve(null),
      ]);
      // Trust on first use, as ssh does: the key seen on the first successful login is pinned, by
      // someone who may change the server (a viewer's test only reports it).
      if (
        ssh?.ok &&
        ssh.hostKey &&
        !server.sshHostKey &&
        (await ctx.authz.can(ctx.org.role, ctx.org.id, "servers", "write"))
      ) {
        await pinHostKey(ctx.db, server.id, ssh.hostKey);
      }
      return { services, ssh };
    }),
});
