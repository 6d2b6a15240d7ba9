import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures } from "../testing/fixtures";
import { createAuthorizer } from "./enforcer";

let f: Fixtures;
beforeAll(async () => {
  f = await createFixtures();
});
afterAll(() => f.close());

describe("casbin authorizer (policies from the database)", () => {
  it("lets roles inherit: viewer reads, builder writes agents, admin manages servers, owner does all", async () => {
    const authz = createAuthorizer(f.db);
    const table = [
      ["viewer", "agents", "read", true],
      ["viewer", "agents", "write", false],
      ["viewer", "agents", "execute", false],
      ["builder", "agents", "execute", true],
      ["builder", "servers", "write", false],
      ["admin", "servers", "write", true],
      ["admin", "org", "delete", false],
      ["owner", "org", "delete", true],
    ] as const;
    for (const [role, resource, action, allowed] of table) {
      expect([role, resource, action, await authz.can(role, "org_1", resource, action)]).toEqual([role, resource, action, allowed]);
    }
  });

  it("applies an organization-specific rule only in that organization, after a reload", async () => {
    const authz = createAuthorizer(f.db);
    expect(await authz.can("viewer", "org_special", "runs", "write")).toBe(false);
    await f.db.authorizationRule.create({ data: { ptype: "p", v0: "viewer", v1: "org_special", v2: "runs", v3: "write" } });
    await authz.reload();
    expect(await authz.can("viewer", "org_special", "runs", "write")).toBe(true);
    expect(await authz.can("viewer", "org_other", "runs", "write")).toBe(false);
  });
});
