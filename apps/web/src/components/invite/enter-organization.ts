import { ORG_COOKIE } from "~/trpc/org-cookie";

/** Makes the joined organization the one every request acts in (the cookie the org switcher sets). */
export function enterOrganization(organizationId: string) {
  document.cookie = `${ORG_COOKIE}=${encodeURIComponent(organizationId)}; path=/; samesite=lax`;
}

/** Where the invitee comes back to after signing in or out elsewhere. */
export const invitePath = (code: string) => `/invite?code=${encodeURIComponent(code)}`;

export const signInPath = (code: string) => `/sign-in?callbackUrl=${encodeURIComponent(invitePath(code))}`;
