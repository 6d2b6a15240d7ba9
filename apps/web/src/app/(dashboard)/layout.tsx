import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { SignOutButton } from "~/components/sign-out-button";
import { db } from "~/server/db";
import { currentUserId } from "~/server/session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const userId = await currentUserId();
  const user = userId
    ? await db().user.findUnique({ where: { id: userId }, select: { email: true, name: true } })
    : null;
  if (!user) redirect("/sign-in");
  return (
    <>
      <header className="topbar">
        <span className="brand">KayOS</span>
        <div className="who">
          <span className="muted" data-testid="signed-in-as">
            {user.email}
          </span>
          <SignOutButton />
        </div>
      </header>
      <main className="content">{children}</main>
    </>
  );
}
