import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Nav } from "~/components/nav";
import { OrgSwitcher } from "~/components/org-switcher";
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
        <div className="topbar-row">
          <div className="who">
            <span className="brand">KayOS</span>
            <OrgSwitcher />
          </div>
          <div className="who">
            <span className="muted" data-testid="signed-in-as">
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
        <Nav />
      </header>
      <main className="content">{children}</main>
    </>
  );
}
