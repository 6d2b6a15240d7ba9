import { orgProcedure } from "../../trpc";

export const current = orgProcedure("org", "read").query(async ({ ctx }) => {
  const org = await ctx.db.organization.findUniqueOrThrow({
    where: { id: ctx.org.id },
    select: { id: true, name: true, slug: true, createdAt: true },
  });
  return { ...org, role: ctx.org.role };
});
