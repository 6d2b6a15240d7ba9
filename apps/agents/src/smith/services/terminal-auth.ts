// Who opens a terminal WebSocket. Browsers cannot set headers on a WebSocket, so they bring a
// short-lived `?token=` the control plane minted for this one session (see @kayos/db/terminal-token);
// CLIs send their API key in a header as on every route. An API key in the URL is refused: URLs end
// up in browser history, proxies' logs and Referer headers.
import type { AgentsDb } from "@kayos/db/agents";
import { readTerminalTokenClaims, TerminalTokenError, verifyTerminalToken } from "@kayos/db/terminal-token";
import type { FastifyRequest } from "fastify";
import type { IncomingHttpHeaders } from "node:http";
import { HttpError } from "../../shared/errors";

export interface TerminalAuth {
  resolveCaller: (request: FastifyRequest) => Promise<{ organizationId: string }>;
  /** The hashes of the organization's API keys that are not revoked. */
  keyHashes: (organizationId: string) => Promise<string[]>;
}

export const activeKeyHashes = (db: AgentsDb) => async (organizationId: string) =>
  (await db.apiKey.findMany({ where: { organizationId, revokedAt: null }, select: { keyHash: true } })).map((k) => k.keyHash);

/** The organization the upgrade acts for; 401 (HttpError) saying why when it cannot. */
export async function terminalOrganization(auth: TerminalAuth, search: URLSearchParams, headers: IncomingHttpHeaders, sessionId: string): Promise<string> {
  if (search.has("access_token")) {
    throw new HttpError(401, "API keys in the URL (?access_token=) are not accepted: browsers use ?token= from the control plane, CLIs send `Authorization: Bearer <key>`");
  }
  const token = search.get("token");
  // The key resolver only reads headers; an upgrade is not a Fastify request.
  if (token === null) return (await auth.resolveCaller({ headers } as FastifyRequest)).organizationId;
  try {
    const { org } = readTerminalTokenClaims(token);
    return verifyTerminalToken(token, { sessionId, keyHashes: await auth.keyHashes(org) }).organizationId;
  } catch (error) {
    if (error instanceof TerminalTokenError) throw new HttpError(401, error.message);
    throw error;
  }
}
