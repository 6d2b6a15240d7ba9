"use client";

import { useQuery } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { AcceptAsMember } from "./accept-as-member";
import { CreateAccountForm } from "./create-account-form";
import { EnterCodeForm } from "./enter-code-form";
import { invitePath, signInPath } from "./enter-organization";

/** The invite page: enter a code, see what it offers, then join as you are or with a new account. */
export function InviteFlow({ code, signedInAs }: { code: string | null; signedInAs: string | null }) {
  if (!code) {
    return (
      <section className="auth-card" aria-labelledby="invite-title">
        <div>
          <h1 id="invite-title">Accept an invitation</h1>
          <p className="muted">Paste the invitation code or link someone in your organization sent you.</p>
        </div>
        <EnterCodeForm />
      </section>
    );
  }
  return <Invitation code={code} signedInAs={signedInAs} />;
}

function Invitation({ code, signedInAs }: { code: string; signedInAs: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  // An unusable code stays unusable: retrying would only delay the explanation.
  const preview = useQuery(trpc.org.previewInvitation.queryOptions({ token: code }, { retry: false }));

  if (preview.isPending) {
    return (
      <section className="auth-card">
        <p className="muted" role="status">
          Checking your invitation…
        </p>
      </section>
    );
  }
  if (preview.isError) {
    return (
      <section className="auth-card" aria-labelledby="invite-title">
        <h1 id="invite-title">This invitation cannot be used</h1>
        <div className="alert error" role="alert">
          {preview.error.message}
        </div>
        <p className="muted">Got another code or link? Enter it here.</p>
        <EnterCodeForm label="Check this code" />
      </section>
    );
  }

  const invitation = preview.data;
  const mismatch = signedInAs !== null && signedInAs.toLowerCase() !== invitation.email;
  return (
    <section className="auth-card" aria-labelledby="invite-title">
      <div>
        <h1 id="invite-title">Join {invitation.organizationName}</h1>
        <p className="muted" data-testid="invitation-summary">
          {invitation.invitedBy ?? "Someone"} invited {invitation.email} to join {invitation.organizationName} as{" "}
          <strong>{invitation.role}</strong>. The invitation is valid until {invitation.expiresAt.toLocaleDateString()}.
        </p>
      </div>
      {signedInAs && !mismatch && (
        <>
          <p className="muted">You are signed in as {signedInAs}.</p>
          <AcceptAsMember code={code} organizationName={invitation.organizationName} />
        </>
      )}
      {mismatch && (
        <>
          <div className="alert error" role="alert">
            You are signed in as {signedInAs}, but this invitation is for {invitation.email}. Sign out, then sign in as{" "}
            {invitation.email} (or create that account) to accept it.
          </div>
          <button type="button" onClick={() => void signOut({ callbackUrl: invitePath(code) })}>
            Sign out and continue
          </button>
        </>
      )}
      {!signedInAs && invitation.hasAccount && (
        <>
          <p>An account for {invitation.email} already exists. Sign in with it to accept the invitation.</p>
          <button className="primary" type="button" onClick={() => router.push(signInPath(code))}>
            Sign in to accept
          </button>
        </>
      )}
      {!signedInAs && !invitation.hasAccount && (
        <CreateAccountForm code={code} email={invitation.email} organizationName={invitation.organizationName} />
      )}
    </section>
  );
}
