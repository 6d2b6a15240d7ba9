// Development seed: the demo organization, its owner, the role templates, the local customer
// server and the agent-services API key for it. Idempotent: running it again changes nothing.
import type { AgentsDb } from "./agents";
import { replaceNamedKey } from "./api-keys";
import type { ControlDb } from "./control";
import { DEFAULT_POLICY } from "./roles";
import { decryptSecret, encryptSecret, hashPassword, verifyPassword } from "./secrets";

export interface SeedOptions {
  demoEmail: string;
  demoPassword: string;
  agentsApiKey: string;
  encryptionKey: string;
  services: { nexusUrl: string; smithUrl: string; observerUrl: string };
}

export const DEMO_ORG_SLUG = "demo";
export const LOCAL_SERVER_NAME = "Local agent services";

export async function seedControl(db: ControlDb, opts: SeedOptions) {
  await db.authorizationRule.createMany({
    data: DEFAULT_POLICY.map((r) => ({ ptype: r.ptype, v0: r.v0, v1: r.v1, v2: r.v2 ?? "", v3: r.v3 ?? "" })),
    skipDuplicates: true,
  });
  const org = await db.organization.upsert({
    where: { slug: DEMO_ORG_SLUG },
    create: { slug: DEMO_ORG_SLUG, name: "Demo Organization" },
    update: {},
  });
  const email = opts.demoEmail.toLowerCase();
  const existing = await db.user.findUnique({ where: { email } });
  const user =
    existing && (await verifyPassword(existing.passwordHash, opts.demoPassword))
      ? existing
      : await db.user.upsert({
          where: { email },
          create: { email, name: "Demo Owner", passwordHash: await hashPassword(opts.demoPassword) },
          update: { passwordHash: await hashPassword(opts.demoPassword) },
        });
  await db.membership.upsert({
    where: { userId_organizationId: { userId: user.id, organizationId: org.id } },
    create: { userId: user.id, organizationId: org.id, role: "owner" },
    update: {},
  });
  const server = await db.customerServer.findUnique({
    where: { organizationId_name: { organizationId: org.id, name: LOCAL_SERVER_NAME } },
  });
  const keyChanged = !server || decryptSecret(server.apiKeyCiphertext, opts.encryptionKey) !== opts.agentsApiKey;
  const fields = {
    ...opts.services,
    isDefault: true,
    ...(keyChanged ? { apiKeyCiphertext: encryptSecret(opts.agentsApiKey, opts.encryptionKey) } : {}),
  };
  if (!server) {
    await db.customerServer.create({
      data: { organizationId: org.id, name: LOCAL_SERVER_NAME, apiKeyCiphertext: "", ...fields },
    });
  } else {
    const differs = (Object.keys(opts.services) as (keyof SeedOptions["services"])[]).some(
      (k) => server[k] !== opts.services[k],
    );
    if (differs || keyChanged) await db.customerServer.update({ where: { id: server.id }, data: fields });
  }
  return { organizationId: org.id, userId: user.id };
}

/** Registers the demo organization's agent-services key; a development key it replaces stops working. */
export async function seedAgents(db: AgentsDb, organizationId: string, agentsApiKey: string) {
  await replaceNamedKey(db, { organizationId, name: "Development key", value: agentsApiKey, prefix: agentsApiKey.slice(0, 12) }, { revive: true });
}
