// Finding an invitation by its code and turning it into a membership, shared by the signed-in and
// the new-account acceptance so both refuse the same codes with the same words and audit alike.
import type { ControlDb, Prisma } from "@kayos/db/control";
import { hashToken } from "@kayos/db/secrets";
import { TRPCError } from "@trpc/server";

const ASK_AGAIN = "Ask whoever invited you for a new invitation.";

// NOT_FOUND for every unusable code: a code is a secret, and none of them can be acted on.
const gone = (message: string) => new TRPCError({ code: "NOT_FOUND", message });

/** The open invitation a code stands for, with its organization's name; refused with what to do. */
export async function openInvitation(db: ControlDb, token: string) {
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { organization: { select: { name: true } } },
  });
  if (!invitation) {
    throw gone(
      `This invitation code is not valid. Check that you copied the whole code or link, or ask whoever invited you for a new invitation.`,
    );
  }
  if (invitation.acceptedAt) {
    throw gone(
      `This invitation has already been used. If you accepted it, sign in as ${invitation.email}; otherwise ${ASK_AGAIN.toLowerCase()}`,
    );
  }
  if (invitation.revokedAt) throw gone(`This invitation was withdrawn. ${ASK_AGAIN}`);
  if (invitation.expiresAt <= new Date()) {
    throw gone(`This invitation expired on ${invitation.expiresAt.toISOString().slice(0, 10)}. ${ASK_AGAIN}`);
  }
  return invitation;
}

type OpenInvitation = Awaited<ReturnType<typeof openInvitation>>;

/**
 * Inside a transaction: marks the invitation accepted only while it is still open (so two tabs
 * cannot both use it), makes the user a member with the invited role and records it in the audit log.
 */
export async function joinWithInvitation(
  tx: Prisma.TransactionClient,
  invitation: OpenInvitation,
  user: { id: string; name: string },
  requestId: string,
) {
  const now = new Date();
  const { count } = await tx.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now },
  });
  if (!count) throw gone(`This invitation was used, withdrawn or expired a moment ago. ${ASK_AGAIN}`);
  await tx.membership.upsert({
    where: { userId_organizationId: { userId: user.id, organizationId: invitation.organizationId } },
    create: { userId: user.id, organizationId: invitation.organizationId, role: invitation.role },
    update: {},
  });
  await tx.auditEvent.create({
    data: {
      organizationId: invitation.organizationId,
      actorId: user.id,
      resource: "members",
      resourceId: invitation.id,
      action: "acceptInvitation",
      changes: { email: invitation.email, name: user.name, role: invitation.role },
      requestId,
    },
  });
  return { organizationId: invitation.organizationId, role: invitation.role };
}
