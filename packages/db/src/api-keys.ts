// Agent-services API keys that one party keeps per organization under a fixed name (the seed's
// development key, Smith's reporter key): registering a new one retires the one it replaces.
import type { AgentsDb } from "./agents";
import { hashToken } from "./secrets";

/**
 * Registers `key` for the organization under `name` and revokes the organization's other
 * non-revoked keys of that name, in one transaction. `revive`: an existing, revoked row of this
 * very key becomes valid again (otherwise a revocation of it stands).
 */
export async function replaceNamedKey(db: AgentsDb, key: { organizationId: string; name: string; value: string; prefix: string }, opts: { revive: boolean }) {
  const { organizationId, name, prefix } = key;
  const keyHash = hashToken(key.value);
  await db.$transaction([
    db.apiKey.upsert({
      where: { keyHash },
      create: { organizationId, name, prefix, keyHash },
      update: opts.revive ? { organizationId, revokedAt: null } : {},
    }),
    db.apiKey.updateMany({
      where: { organizationId, name, keyHash: { not: keyHash }, revokedAt: null },
      data: { revokedAt: new Date() },
    }),
  ]);
}
