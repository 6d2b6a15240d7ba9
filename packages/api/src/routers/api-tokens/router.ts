import type { Action } from "@kayos/db/roles";
import { generateToken, hashToken } from "@kayos/db/secrets";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, orgMutation, orgProcedure } from "../../trpc";
import { createApiTokenInput } from "./schema";

const publicFields = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  user: { select: { id: true, email: true } },
} as const;

/** Admins see every token of the organization; others see their own. */
const visibleTo = (ctx: { org: { id: string; role: string }; user: { id: string } }) => ({
  organizationId: ctx.org.id,
  ...(ctx.org.role === "owner" || ctx.org.role === "admin" ? {} : { userId: ctx.user.id }),
});

export const apiTokensRouter = createTRPCRouter({
  list: orgProcedure("apiTokens", "read").query(({ ctx }) =>
    ctx.db.apiToken.findMany({ where: visibleTo(ctx), orderBy: { createdAt: "desc" }, select: publicFields }),
  ),

  /** The token is in this answer only; the database keeps its hash. */
  create: orgMutation("apiTokens", "write")
    .input(createApiTokenInput)
    .mutation(async ({ ctx, input }) => {
      const token = generateToken("kat");
      const row = await ctx.db.apiToken.create({
        data: {
          organizationId: ctx.org.id,
          userId: ctx.user.id,
          name: input.name,
          prefix: token.slice(0, 10),
          tokenHash: hashToken(token),
          scopes: [...new Set(input.scopes)] satisfies Action[],
          expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
        },
        select: publicFields,
      });
      return { ...row, token };
    }),

  revoke: orgMutation("apiTokens", "write")
    .input(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const { count } = await ctx.db.apiToken.updateMany({
        where: { id: input.id, revokedAt: null, ...visibleTo(ctx) },
        data: { revokedAt: new Date() },
      });
      if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "No such active token in this organization" });
      return { id: input.id };
    }),
});
