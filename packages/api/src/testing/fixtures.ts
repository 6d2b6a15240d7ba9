// Test fixtures for the routers: fresh databases, organizations with members of each role, and a
// caller bound to one user (and optionally one organization), as the web's context would build it.
import { agentsDb, type AgentsDb } from "@kayos/db/agents";
import { controlDb, type ControlDb, type Role } from "@kayos/db/control";
import { seedControl } from "@kayos/db/seed";
import { encryptSecret, hashPassword, hashToken } from "@kayos/db/secrets";
import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import { createCaller } from "../root";
import { createContextInner } from "../trpc";

export const ENCRYPTION_KEY = "test-encryption-key-0123456789";

export interface Services {
  nexusUrl: string;
  smithUrl: string;
  observerUrl: string;
}

export async function createFixtures() {
  const urls = { control: await createTestDatabase("control"), agents: await createTestDatabase("agents") };
  const db: ControlDb = controlDb(urls.control);
  const agents: AgentsDb = agentsDb(urls.agents);
  // Seeding brings the role templates (authorization_rules) every organization shares.
  await seedControl(db, {
    demoEmail: "seed-owner@example.test",
    demoPassword: "seed-password",
    agentsApiKey: "kay_seed_key_unused_000000",
    encryptionKey: ENCRYPTION_KEY,
    services: { nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" },
  });
  let n = 0;
  const passwordHash = await hashPassword("password-for-tests");

  return {
    db,
    agents,
    async organization(services: Services, apiKey = `kay_test_${++n}_${Date.now()}_padding`) {
      const org = await db.organization.create({ data: { name: `Org ${++n}`, slug: `org-${n}-${Date.now()}` } });
      await db.customerServer.create({
        data: { organizationId: org.id, name: "local", isDefault: true, ...services, apiKeyCiphertext: encryptSecret(apiKey, ENCRYPTION_KEY) },
      });
      await agents.apiKey.create({ data: { organizationId: org.id, name: "test", prefix: "kay_test", keyHash: hashToken(apiKey) } });
      return org;
    },
    async member(organizationId: string, role: Role) {
      const user = await db.user.create({ data: { email: `u${++n}-${Date.now()}@example.test`, name: `${role} ${n}`, passwordHash } });
      await db.membership.create({ data: { userId: user.id, organizationId, role } });
      return user;
    },
    caller(userId: string | null, organizationId?: string, config: { commandCenterReleaseDir?: string } = {}) {
      return createCaller(
        createContextInner({ db, userId, organizationId, config: { encryptionKey: ENCRYPTION_KEY, serviceTimeoutMs: 2000, ...config } }),
      );
    },
    async close() {
      await Promise.all([db.$disconnect(), agents.$disconnect()]);
      await Promise.all([dropTestDatabase(urls.control), dropTestDatabase(urls.agents)]);
    },
    urls,
  };
}
export type Fixtures = Awaited<ReturnType<typeof createFixtures>>;
