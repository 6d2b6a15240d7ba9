import { protectedProcedure } from "../../trpc";

/** The organizations the caller belongs to, with their role in each (for the switcher). */
export const mine = protectedProcedure.query(async ({ ctx }) => {
  const memberships = await ctx.db.membership.findMany({
    where: { userId: ctx.user.id },
    orderBy: { createdAt: "asc" },
    select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
  });
  return memberships.map((m) => ({ ...m.organization, role: m.role }));
});
