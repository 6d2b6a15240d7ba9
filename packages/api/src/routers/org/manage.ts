// Organization settings and membership: invitations (token shown once, hashed), role changes and
// removals. Only owners hand out or take away "owner", and the last owner always stays.
import type { ControlDb, Role } from "@kayos/db/control";
import { generateToken, hashToken } from "@kayos/db/secrets";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { orgMutation, orgProcedure, protectedProcedure } from "../../trpc";
import { joinWithInvitation, openInvitation } from "./invitation-access";
import { changeRoleInput, invitationTokenInput, inviteInput, updateOrgInput } from "./schema";

const INVITE_DAYS = 7;

function assertMayAssign(actorRole: Role, ...roles: Role[]) {
  if (roles.includes("owner") && actorRole !== "owner") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only an owner can grant or remove the owner role" });
  }
}

export const update = orgMutation("org", "write")
  .input(updateOrgInput)
  .mutation(({ ctx, input }) =>
    ctx.db.organization.update({ where: { id: ctx.org.id }, data: input, select: { id: true, name: true, slug: true } }),
  );

export const invite = orgMutation("members", "write")
  .input(inviteInput)
  .mutation(async ({ ctx, input }) => {
    assertMayAssign(ctx.org.role, input.role);
    const member = await ctx.db.membership.count({ where: { organizationId: ctx.org.id, user: { email: input.email } } });
    if (member) throw new TRPCError({ code: "CONFLICT", message: `${input.email} is already a member` });
    const token = generateToken("kinv");
    const row = await ctx.db.invitation.create({
      data: {
        organizationId: ctx.org.id,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedById: ctx.user.id,
        expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
      },
      select: { id: true, email: true, role: true, expiresAt: true },
    });
    return { ...row, token };
  });

export const invitations = orgProcedure("members", "read").query(({ ctx }) =>
  ctx.db.invitation.findMany({
    where: { organizationId: ctx.org.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
  }),
);

export const revokeInvitation = orgMutation("members", "write")
  .input(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.invitation.updateMany({
      where: { id: input.id, organizationId: ctx.org.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (!count) throw new TRPCError({ code: "NOT_FOUND", message: "No open invitation with that id" });
    return { id: input.id };
  });

/** The invitee (signed in with the invited email) joins with the invited role. */
export const acceptInvitation = protectedProcedure
  .input(invitationTokenInput)
  .mutation(async ({ ctx, input }) => {
    const invitation = await openInvitation(ctx.db, input.token);
    if (invitation.email !== ctx.user.email.toLowerCase()) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This invitation is for ${invitation.email}; sign out, then sign in as ${invitation.email} to accept it`,
      });
    }
    return ctx.db.$transaction((tx) => joinWithInvitation(tx, invitation, ctx.user, ctx.requestId));
  });

async function targetMembership(ctx: { db: ControlDb; org: { id: string } }, userId: string) {
  const membership = await ctx.db.membership.findUnique({
    where: { userId_organizationId: { userId, organizationId: ctx.org.id } },
  });
  if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: `No member ${userId} in this organization` });
  return membership;
}

async function assertNotLastOwner(ctx: { db: ControlDb; org: { id: string } }, role: Role) {
  if (role !== "owner") return;
  const owners = await ctx.db.membership.count({ where: { organizationId: ctx.org.id, role: "owner" } });
  if (owners <= 1) throw new TRPCError({ code: "CONFLICT", message: "An organization keeps at least one owner" });
}

export const changeRole = orgMutation("members", "write")
  .input(changeRoleInput)
  .mutation(async ({ ctx, input }) => {
    const membership = await targetMembership(ctx, input.userId);
    assertMayAssign(ctx.org.role, membership.role, input.role);
    if (input.role !== "owner") await assertNotLastOwner(ctx, membership.role);
    await ctx.db.membership.update({ where: { id: membership.id }, data: { role: input.role } });
    return { id: input.userId, role: input.role };
  });

export const removeMember = orgMutation("members", "write")
  .input(z.object({ userId: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const membership = await targetMembership(ctx, input.userId);
    assertMayAssign(ctx.org.role, membership.role);
    await assertNotLastOwner(ctx, membership.role);
    await ctx.db.membership.delete({ where: { id: membership.id } });
    return { id: input.userId };
  });
