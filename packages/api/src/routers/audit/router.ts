import { z } from "zod";
import { createTRPCRouter, orgProcedure } from "../../trpc";

export const auditRouter = createTRPCRouter({
  /** Newest first, cursor-paginated, filterable by resource and actor. */
  list: orgProcedure("audit", "read")
    .input(
      z.object({
        cursor: z.string().nullish(),
        limit: z.number().int().min(1).max(200).default(50),
        resource: z.string().optional(),
        actorId: z.string().optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.auditEvent.findMany({
        where: { organizationId: ctx.org.id, resource: input.resource, actorId: input.actorId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const actors = await ctx.db.user.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.actorId).filter((a): a is string => !!a))] } },
        select: { id: true, email: true },
      });
      const email = new Map(actors.map((a) => [a.id, a.email]));
      const page = rows.slice(0, input.limit).map((r) => ({ ...r, actorEmail: r.actorId ? (email.get(r.actorId) ?? null) : null }));
      return { items: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
    }),
});
