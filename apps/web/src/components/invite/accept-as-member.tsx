"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";
import { enterOrganization } from "./enter-organization";

/** Signed in with the invited email: one click joins, and the organization becomes the current one. */
export function AcceptAsMember({ code, organizationName }: { code: string; organizationName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.org.acceptInvitation.mutationOptions({
      onSuccess: ({ organizationId }) => {
        enterOrganization(organizationId);
        router.replace("/");
        router.refresh();
      },
    }),
  );
  const busy = accept.isPending || accept.isSuccess;
  return (
    <>
      <ErrorAlert error={accept.error} />
      <button className="primary" type="button" disabled={busy} onClick={() => accept.mutate({ token: code })}>
        {busy ? "Joining…" : `Accept and join ${organizationName}`}
      </button>
    </>
  );
}
