import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "~/components/sign-in-form";
import { currentUserId } from "~/server/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  // Only same-site paths: an open redirect would let a link send users elsewhere after sign-in.
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  if (await currentUserId()) redirect(target);
  return (
    <main className="auth-page">
      <SignInForm callbackUrl={target} />
    </main>
  );
}
