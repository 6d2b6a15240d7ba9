import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures } from "../../testing/fixtures";

let f: Fixtures;
const nowhere = { nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" };

beforeAll(async () => {
  f = await createFixtures();
});
afterAll(() => f.close());

describe("org router", () => {
  it("org.current returns the caller's organization and role", async () => {
    const org = await f.organization(nowhere);
    const builder = await f.member(org.id, "builder");
    expect(await f.caller(builder.id).org.current()).toMatchObject({ id: org.id, name: org.name, role: "builder" });
  });

  it("org.mine lists every organization the user belongs to, with the role in each", async () => {
    const a = await f.organization(nowhere);
    const b = await f.organization(nowhere);
    const user = await f.member(a.id, "admin");
    await f.db.membership.create({ data: { userId: user.id, organizationId: b.id, role: "viewer" } });
    expect(await f.caller(user.id).org.mine()).toEqual([
      { id: a.id, name: a.name, slug: a.slug, role: "admin" },
      { id: b.id, name: b.name, slug: b.slug, role: "viewer" },
    ]);
    // Acting in the second organization uses the role held there.
    expect(await f.caller(user.id, b.id).org.current()).toMatchObject({ id: b.id, role: "viewer" });
  });

  it("org.members lists members without password hashes", async () => {
    const org = await f.organization(nowhere);
    const owner = await f.member(org.id, "owner");
    const viewer = await f.member(org.id, "viewer");
    const members = await f.caller(viewer.id).org.members();
    expect(members.map((m) => [m.id, m.role])).toEqual([
      [owner.id, "owner"],
      [viewer.id, "viewer"],
    ]);
    expect(JSON.stringify(members)).not.toContain("argon2");
  });

  it("a cross-organization call is FORBIDDEN and reveals nothing", async () => {
    const a = await f.organization(nowhere);
    const b = await f.organization(nowhere);
    const user = await f.member(a.id, "owner");
    await expect(f.caller(user.id, b.id).org.current()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(f.caller(user.id, b.id).org.members()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a user without any organization is FORBIDDEN with a clear message", async () => {
    const user = await f.db.user.create({ data: { email: `lonely-${Date.now()}@example.test`, name: "x", passwordHash: "x" } });
    await expect(f.caller(user.id).org.current()).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "You do not belong to any organization yet",
    });
  });

  it("a deleted user's session is UNAUTHORIZED at once", async () => {
    const org = await f.organization(nowhere);
    const user = await f.member(org.id, "owner");
    await f.db.user.delete({ where: { id: user.id } });
    await expect(f.caller(user.id).org.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
