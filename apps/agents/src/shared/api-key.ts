// API keys of the agent services: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. A key belongs
// to one organization, which scopes everything the call can see. Only hashes are stored.
import type { AgentsDb } from "@kayos/db/agents";
import { hashToken } from "@kayos/db/secrets";
import type { FastifyRequest } from "fastify";
import { HttpError } from "./errors";

export interface Caller {
  organizationId: string;
  keyId: string;
  keyName: string;
}

const CACHE_MS = 30_000;

export function readApiKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith("bearer ")) return header.slice(7).trim() || undefined;
  const key = request.headers["x-api-key"];
  return typeof key === "string" && key.trim() ? key.trim() : undefined;
}

/** Resolves keys to callers, remembering answers briefly so hot ingest paths skip the database. */
export function createKeyResolver(db: AgentsDb, now: () => number = Date.now) {
  const cache = new Map<string, { caller: Caller | null; until: number }>();
  return async function resolve(request: FastifyRequest): Promise<Caller> {
    const key = readApiKey(request);
    if (!key) throw new HttpError(401, "Missing API key: send `Authorization: Bearer <key>` or `X-Api-Key: <key>`");
    const hash = hashToken(key);
    const hit = cache.get(hash);
    let caller = hit && hit.until > now() ? hit.caller : undefined;
    if (caller === undefined) {
      const row = await db.apiKey.findUnique({ where: { keyHash: hash } });
      caller = row && !row.revokedAt ? { organizationId: row.organizationId, keyId: row.id, keyName: row.name } : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { caller, until: now() + CACHE_MS });
    }
    if (!caller) throw new HttpError(401, "Invalid or revoked API key");
    return caller;
  };
}
