import { hashPassword } from "@kayos/db/secrets";
import { TRPCError } from "@trpc/server";
import { publicProcedure } from "../../trpc";
import { joinWithInvitation, openInvitation } from "./invitation-access";
import { acceptAsNewUserInput, acceptedAsNewUser } from "./schema";

const accountExists = (email: string) =>
  new TRPCError({
    code: "CONFLICT",
    message: `An account for ${email} already exists. Sign in as ${email} first, then open the invitation link again to accept it.`,
  });

/**
 * Public: someone without an account accepts an invitation by choosing a name and a password. The
 * account (for the invited email, which the code proves they received), the membership, the used
 * invitation and the audit entry are written in one transaction, so a refusal leaves nothing behind.
 */
export const acceptInvitationAsNewUser = publicProcedure
  .input(acceptAsNewUserInput)
  .output(acceptedAsNewUser)
  .mutation(async ({ ctx, input }) => {
    const invitation = await openInvitation(ctx.db, input.token);
    if (await ctx.db.user.count({ where: { email: invitation.email } })) throw accountExists(invitation.email);
    // Hashed before the transaction: argon2 is deliberately slow and should not hold a connection.
    const passwordHash = await hashPassword(input.password);
    try {
      const joined = await ctx.db.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { email: invitation.email, name: input.name, passwordHash },
          select: { id: true, name: true },
        });
        return joinWithInvitation(tx, invitation, user, ctx.requestId);
      });
      return { ...joined, email: invitation.email };
    } catch (error) {
      // Someone created the account between the check above and the insert.
      if ((error as { code?: string }).code === "P2002") throw accountExists(invitation.email);
      throw error;
    }
  });
