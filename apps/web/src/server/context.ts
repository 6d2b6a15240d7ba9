import "server-only";
import { createContextInner } from "@kayos/api";
import { readOrgCookie } from "~/trpc/org-cookie";
import { db } from "./db";
import { apiConfig } from "./env";
import { currentUserId } from "./session";

export const ORG_HEADER = "x-kayos-org";

/** The tRPC context of a web request: the next-auth session's user and the chosen organization. */
export async function createContext(req: Request) {
  return createContextInner({
    db: db(),
    userId: await currentUserId(),
    organizationId: req.headers.get(ORG_HEADER) ?? readOrgCookie(req.headers.get("cookie") ?? ""),
    config: apiConfig(),
    requestId: req.headers.get("x-request-id") ?? undefined,
  });
}
