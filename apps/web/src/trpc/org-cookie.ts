/** Cookie holding the organization the user acts in; sent to tRPC as the x-kayos-org header. */
export const ORG_COOKIE = "kayos-org";

export function readOrgCookie(cookieHeader: string): string | null {
  const match = cookieHeader.split(/;\s*/).find((c) => c.startsWith(`${ORG_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(ORG_COOKIE.length + 1)) : null;
}
