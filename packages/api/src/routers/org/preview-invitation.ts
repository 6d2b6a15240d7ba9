import { publicProcedure } from "../../trpc";
import { openInvitation } from "./invitation-access";
import { invitationPreview, invitationTokenInput } from "./schema";

/**
 * Public: what an invitation code offers, so the invite page can greet the invitee and ask them to
 * create an account or sign in. Holding the code is the permission; an unusable one says why.
 */
export const previewInvitation = publicProcedure
  .input(invitationTokenInput)
  .output(invitationPreview)
  .query(async ({ ctx, input }) => {
    const invitation = await openInvitation(ctx.db, input.token);
    const [account, inviter] = await Promise.all([
      ctx.db.user.count({ where: { email: invitation.email } }),
      invitation.invitedById
        ? ctx.db.user.findUnique({ where: { id: invitation.invitedById }, select: { name: true } })
        : null,
    ]);
    return {
      organizationName: invitation.organization.name,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      invitedBy: inviter?.name ?? null,
      hasAccount: account > 0,
    };
  });
