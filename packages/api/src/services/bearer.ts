// Bearer credentials of the REST surface: an API token (`kat_...`, hashed, scoped, expiring, bound
// to one organization) or a short access token from POST /api/v1/auth/login.
import type { ControlDb } from "@kayos/db/control";
import { ACTIONS, type Action } from "@kayos/db/roles";
import { hashToken } from "@kayos/db/secrets";
import { verifyAccessToken } from "./auth";

export interface BearerIdentity {
  userId: string;
  token: { id: string; organizationId: string; scopes: Action[] } | null;
}

const isAction = (s: string): s is Action => (ACTIONS as readonly string[]).includes(s);

export async function resolveBearer(db: ControlDb, raw: string, authSecret: string): Promise<BearerIdentity | null> {
  if (raw.startsWith("kat_")) {
    const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(raw) } });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt < new Date())) return null;
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
    return { userId: row.userId, token: { id: row.id, organizationId: row.organizationId, scopes: row.scopes.filter(isAction) } };
  }
  const userId = await verifyAccessToken(raw, authSecret);
  return userId ? { userId, token: null } : null;
}
