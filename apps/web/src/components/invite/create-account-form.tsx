"use client";

import { acceptAsNewUserInput } from "@kayos/api/routers/org/schema";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { fieldErrors } from "~/components/ui/field-errors";
import { useTRPC } from "~/trpc/react";
import { enterOrganization, signInPath } from "./enter-organization";

/** No account yet: name and password create one for the invited email, then it signs in. */
export function CreateAccountForm({
  code,
  email,
  organizationName,
}: {
  code: string;
  email: string;
  organizationName: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [signInFailed, setSignInFailed] = useState(false);
  const accept = useMutation(trpc.org.acceptInvitationAsNewUser.mutationOptions());

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { data, errors } = fieldErrors(acceptAsNewUserInput, { token: code, name, password });
    setErrors(errors);
    if (!data) return;
    const joined = await accept.mutateAsync(data).catch(() => null);
    if (!joined) return;
    const session = await signIn("credentials", { email: joined.email, password: data.password, redirect: false });
    if (!session || session.error) return setSignInFailed(true);
    enterOrganization(joined.organizationId);
    router.replace("/");
    router.refresh();
  }

  if (signInFailed) {
    return (
      <div className="alert error" role="alert">
        Your account was created and you joined {organizationName}, but signing you in failed.{" "}
        <Link href="/sign-in">Sign in</Link> as {email} with the password you just chose.
      </div>
    );
  }

  const busy = accept.isPending || accept.isSuccess;
  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Create your account">
      <ErrorAlert error={accept.error} />
      {accept.error?.data?.code === "CONFLICT" && <Link href={signInPath(code)}>Sign in as {email}</Link>}
      <label>
        Email
        <input type="email" value={email} readOnly autoComplete="username" aria-describedby="invite-email-hint" />
        <span id="invite-email-hint" className="muted">
          The address this invitation was sent to.
        </span>
      </label>
      <label>
        Your name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="name"
          aria-invalid={!!errors.name}
          autoFocus
        />
        {errors.name && <span className="field-error">{errors.name}</span>}
      </label>
      <label>
        Password
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          aria-invalid={!!errors.password}
          aria-describedby="invite-password-hint"
        />
        {errors.password ? (
          <span className="field-error">{errors.password}</span>
        ) : (
          <span id="invite-password-hint" className="muted">
            At least 10 characters.
          </span>
        )}
      </label>
      <button className="primary" type="submit" disabled={busy}>
        {busy ? "Creating your account…" : `Create account and join ${organizationName}`}
      </button>
    </form>
  );
}
