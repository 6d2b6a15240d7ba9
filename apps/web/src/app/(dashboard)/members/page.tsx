import type { Metadata } from "next";
import { MembersPanel } from "~/components/members/members-panel";

export const metadata: Metadata = { title: "Members" };

export default function Page() {
  return (
    <>
      <div>
        <h1>Members</h1>
        <p className="muted">Who belongs to this organization, with which role; invitations.</p>
      </div>
      <MembersPanel />
    </>
  );
}
