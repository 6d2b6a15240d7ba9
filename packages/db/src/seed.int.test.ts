import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentsDb, type AgentsDb } from "./agents";
import { controlDb, type ControlDb } from "./control";
import { DEFAULT_POLICY } from "./roles";
import { decryptSecret, hashToken, verifyPassword } from "./secrets";
import { seedAgents, seedControl, type SeedOptions } from "./seed";

let control: ControlDb;
let agents: AgentsDb;
const urls: string[] = [];

const options: SeedOptions = {
  demoEmail: "Demo@Example.test",
  demoPassword: "demo-password-1",
  agentsApiKey: "kay_test_key_0123456789abcdef",
  encryptionKey: "test-encryption-key-0123",
  services: { nexusUrl: "http://127.0.0.1:1", smithUrl: "http://127.0.0.1:2", observerUrl: "http://127.0.0.1:3" },
};

beforeAll(async () => {
  urls.push(await createTestDatabase("control"), await createTestDatabase("agents"));
  control = controlDb(urls[0]);
  agents = agentsDb(urls[1]);
});
afterAll(async () => {
  await Promise.all([control.$disconnect(), agents.$disconnect()]);
  await Promise.all(urls.map(dropTestDatabase));
});

async function snapshot() {
  return {
    orgs: await control.organization.findMany(),
    users: await control.user.findMany(),
    memberships: await control.membership.findMany(),
    rules: await control.authorizationRule.count(),
    servers: await control.customerServer.findMany(),
    keys: await agents.apiKey.findMany(),
  };
}

describe("seed", () => {
  it("creates the demo organization, its owner, role templates, local server and API key", async () => {
    const { organizationId } = await seedControl(control, options);
    await seedAgents(agents, organizationId, options.agentsApiKey);
    const s = await snapshot();
    expect(s.orgs).toHaveLength(1);
    expect(s.users[0]?.email).toBe("demo@example.test");
    expect(await verifyPassword(s.users[0]?.passwordHash ?? "", options.demoPassword)).toBe(true);
    expect(s.memberships).toMatchObject([{ organizationId, role: "owner" }]);
    expect(s.rules).toBe(DEFAULT_POLICY.length);
    expect(s.servers).toHaveLength(1);
    expect(decryptSecret(s.servers[0]?.apiKeyCiphertext ?? "", options.encryptionKey)).toBe(options.agentsApiKey);
    expect(s.keys).toMatchObject([{ organizationId, keyHash: hashToken(options.agentsApiKey) }]);
  });

  it("is idempotent: a second run changes no row", async () => {
    const before = await snapshot();
    const { organizationId } = await seedControl(control, options);
    await seedAgents(agents, organizationId, options.agentsApiKey);
    expect(await snapshot()).toEqual(before);
  });

  it("takes a changed demo password and service URLs on the next run", async () => {
    const changed = { ...options, demoPassword: "another-password", services: { ...options.services, nexusUrl: "http://127.0.0.1:9" } };
    await seedControl(control, changed);
    const user = await control.user.findFirstOrThrow();
    expect(await verifyPassword(user.passwordHash, "another-password")).toBe(true);
    expect((await control.customerServer.findFirstOrThrow()).nexusUrl).toBe("http://127.0.0.1:9");
  });

  it("retires the development key a new one replaces (an install that moves off a shared key)", async () => {
    const { organizationId } = await seedControl(control, options);
    const next = "kay_dev_per_install_key_abcdef0123456789";
    await seedControl(control, { ...options, agentsApiKey: next });
    await seedAgents(agents, organizationId, next);
    const keys = await agents.apiKey.findMany({ orderBy: { createdAt: "asc" } });
    expect(keys.map((k) => [k.keyHash, k.revokedAt !== null])).toEqual([
      [hashToken(options.agentsApiKey), true],
      [hashToken(next), false],
    ]);
    const server = await control.customerServer.findFirstOrThrow();
    expect(decryptSecret(server.apiKeyCiphertext, options.encryptionKey)).toBe(next);
  });
});
