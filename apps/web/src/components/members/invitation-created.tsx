"use client";

import { useState } from "react";

/** The invitation just made: a link to share and the bare code, both shown only this once. */
export function InvitationCreated({ email, token, expiresAt }: { email: string; token: string; expiresAt: Date }) {
  const [copied, setCopied] = useState(false);
  // The origin the inviter is using is the one the invitee can reach too.
  const link = `${window.location.origin}/invite?code=${encodeURIComponent(token)}`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (insecure origin, permissions): the link stays selectable.
      setCopied(false);
    }
  }

  return (
    <div className="alert info" role="status">
      <p>
        Send {email} this invitation code or the link below; it is shown only once and is valid until{" "}
        {expiresAt.toLocaleDateString()}.
      </p>
      <p className="secret" data-testid="invitation-link">
        {link}
      </p>
      <p className="row">
        <button type="button" onClick={() => void copy()}>
          {copied ? "Link copied" : "Copy link"}
        </button>
        <span>
          Code: <code data-testid="invitation-code">{token}</code>
        </span>
      </p>
    </div>
  );
}
