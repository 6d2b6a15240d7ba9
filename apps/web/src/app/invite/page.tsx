import type { Metadata } from "next";
import { InviteFlow } from "~/components/invite/invite-flow";
import { db } from "~/server/db";
import { currentUserId } from "~/server/session";

export const metadata: Metadata = { title: "Accept invitation" };

/** Public, like /sign-in: an invitee usually has no account yet. */
export default async function InvitePage({ searchParams }: { searchParams: Promise<{ code?: string | string[] }> }) {
  const { code } = await searchParams;
  const userId = await currentUserId();
  const user = userId ? await db().user.findUnique({ where: { id: userId }, select: { email: true } }) : null;
  const trimmed = typeof code === "string" ? code.trim() : "";
  return (
    <main className="auth-page">
      <InviteFlow code={trimmed || null} signedInAs={user?.email ?? null} />
    </main>
  );
}
