import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures } from "../../testing/fixtures";

let f: Fixtures;
const nowhere = { nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" };
beforeAll(async () => {
  f = await createFixtures();
});
afterAll(() => f.close());

describe("organization management", () => {
  it("invites a member who accepts with the token and gets the invited role", async () => {
    const org = await f.organization(nowhere);
    const admin = await f.member(org.id, "admin");
    const outsider = await f.db.user.create({ data: { email: `new-${Date.now()}@example.test`, name: "New", passwordHash: "x" } });
    const invitation = await f.caller(admin.id).org.invite({ email: outsider.email.toUpperCase(), role: "builder" });
    expect(invitation.token).toMatch(/^kinv_/);
    expect(await f.caller(outsider.id).org.acceptInvitation({ token: invitation.token })).toEqual({
      organizationId: org.id,
      role: "builder",
    });
    expect(await f.caller(outsider.id, org.id).org.current()).toMatchObject({ role: "builder" });
    await expect(f.caller(outsider.id).org.acceptInvitation({ token: invitation.token })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("lists open invitations without their codes; a revoked one can no longer be accepted", async () => {
    const org = await f.organization(nowhere);
    const admin = f.caller((await f.member(org.id, "admin")).id);
    const invitee = await f.db.user.create({ data: { email: `revoked-${Date.now()}@example.test`, name: "Revoked", passwordHash: "x" } });
    const { id, token } = await admin.org.invite({ email: invitee.email, role: "viewer" });
    const open = await admin.org.invitations();
    expect(open).toEqual([expect.objectContaining({ id, email: invitee.email, role: "viewer" })]);
    expect(JSON.stringify(open)).not.toContain(token);
    await admin.org.revokeInvitation({ id });
    expect(await admin.org.invitations()).toEqual([]);
    await expect(admin.org.revokeInvitation({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(f.caller(invitee.id).org.acceptInvitation({ token })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Another organization's admin cannot see or revoke it.
    const other = f.caller((await f.member((await f.organization(nowhere)).id, "admin")).id);
    const second = await admin.org.invite({ email: "second@example.test", role: "builder" });
    expect(await other.org.invitations()).toEqual([]);
    await expect(other.org.revokeInvitation({ id: second.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an invitation works only for its email", async () => {
    const org = await f.organization(nowhere);
    const admin = await f.member(org.id, "admin");
    const other = await f.member((await f.organization(nowhere)).id, "viewer");
    const { token } = await f.caller(admin.id).org.invite({ email: "someone-else@example.test", role: "viewer" });
    await expect(f.caller(other.id).org.acceptInvitation({ token })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("only owners grant the owner role, and the last owner stays", async () => {
    const org = await f.organization(nowhere);
    const owner = await f.member(org.id, "owner");
    const admin = await f.member(org.id, "admin");
    const viewer = await f.member(org.id, "viewer");
    await expect(f.caller(admin.id).org.changeRole({ userId: viewer.id, role: "owner" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(f.caller(owner.id).org.changeRole({ userId: owner.id, role: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "An organization keeps at least one owner",
    });
    await f.caller(admin.id).org.changeRole({ userId: viewer.id, role: "builder" });
    await f.caller(admin.id).org.removeMember({ userId: viewer.id });
    expect((await f.caller(owner.id).org.members()).map((m) => m.id).sort()).toEqual([owner.id, admin.id].sort());
  });

  it("records every mutation in the audit log, browsable newest first", async () => {
    const org = await f.organization(nowhere);
    const owner = await f.member(org.id, "owner");
    const caller = f.caller(owner.id);
    await caller.org.update({ name: "Renamed Inc" });
    await caller.org.invite({ email: "a@example.test", role: "viewer" });
    const page = await caller.audit.list({ limit: 1 });
    expect(page.items).toMatchObject([{ resource: "members", action: "invite", actorEmail: owner.email }]);
    const next = await caller.audit.list({ limit: 1, cursor: page.nextCursor });
    expect(next.items).toMatchObject([{ resource: "org", action: "update", changes: { name: "Renamed Inc" } }]);
  });
});
