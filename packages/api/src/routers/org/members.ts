import { orgProcedure } from "../../trpc";

export const members = orgProcedure("members", "read").query(async ({ ctx }) => {
  const rows = await ctx.db.membership.findMany({
    where: { organizationId: ctx.org.id },
    orderBy: { createdAt: "asc" },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((r) => ({ ...r.user, role: r.role, joinedAt: r.createdAt }));
});
