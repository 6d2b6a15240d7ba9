import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { authenticate } from "../../services/auth";
import { createFixtures, type Fixtures } from "../../testing/fixtures";

let f: Fixtures;
const nowhere = { nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" };
let n = 0;
beforeAll(async () => {
  f = await createFixtures();
});
afterAll(() => f.close());

/** An organization with an admin who has just invited a fresh email; the caller is signed out. */
async function invited(role: "builder" | "viewer" = "builder") {
  const org = await f.organization(nowhere);
  const admin = await f.member(org.id, "admin");
  const email = `invitee-${++n}-${Date.now()}@example.test`;
  const invitation = await f.caller(admin.id).org.invite({ email, role });
  return { org, admin, email, invitation, anonymous: f.caller(null) };
}

/** Rows a refused acceptance must not have added. */
const counts = async () => ({
  users: await f.db.user.count(),
  memberships: await f.db.membership.count(),
  audit: await f.db.auditEvent.count(),
  accepted: await f.db.invitation.count({ where: { acceptedAt: { not: null } } }),
});

describe("org.acceptInvitationAsNewUser", () => {
  it("a new user previews the invitation, creates an account and becomes a member with the invited role", async () => {
    const { org, admin, email, invitation, anonymous } = await invited("builder");
    expect(await anonymous.org.previewInvitation({ token: ` ${invitation.token} ` })).toEqual({
      organizationName: org.name,
      email,
      role: "builder",
      expiresAt: invitation.expiresAt,
      invitedBy: admin.name,
      hasAccount: false,
    });

    const accepted = await anonymous.org.acceptInvitationAsNewUser({
      token: invitation.token,
      name: "  Ada Invitee ",
      password: "correct horse battery",
    });
    expect(accepted).toEqual({ organizationId: org.id, role: "builder", email });

    const user = await authenticate(f.db, email, "correct horse battery");
    expect(user).toMatchObject({ email, name: "Ada Invitee" });
    expect(await f.caller(user!.id, org.id).org.current()).toMatchObject({ id: org.id, role: "builder" });
    expect((await f.caller(admin.id).org.members()).find((m) => m.email === email)).toMatchObject({ role: "builder" });
    expect(await f.caller(admin.id).org.invitations()).toEqual([]);
    expect((await f.caller(admin.id).audit.list({ limit: 1 })).items).toMatchObject([
      { resource: "members", action: "acceptInvitation", actorEmail: email, changes: { email, role: "builder" } },
    ]);
    expect(JSON.stringify(await f.db.auditEvent.findMany({ where: { organizationId: org.id } }))).not.toContain(
      "correct horse",
    );
  });

  it("used, revoked, expired and unknown codes are NOT_FOUND with what to do next, and write nothing", async () => {
    const used = await invited();
    await used.anonymous.org.acceptInvitationAsNewUser({
      token: used.invitation.token,
      name: "First",
      password: "first-password",
    });
    const revoked = await invited();
    await f.caller(revoked.admin.id).org.revokeInvitation({ id: revoked.invitation.id });
    const expired = await invited();
    await f.db.invitation.update({
      where: { id: expired.invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });

    const cases = [
      [used.invitation.token, "This invitation has already been used"],
      [revoked.invitation.token, "This invitation was withdrawn. Ask whoever invited you for a new invitation."],
      [
        expired.invitation.token,
        /^This invitation expired on \d{4}-\d\d-\d\d\. Ask whoever invited you for a new invitation\.$/,
      ],
      ["kinv_never_issued", "This invitation code is not valid"],
    ] as const;
    const before = await counts();
    for (const [token, message] of cases) {
      const refusal = {
        code: "NOT_FOUND",
        message: typeof message === "string" ? expect.stringContaining(message) : expect.stringMatching(message),
      };
      await expect(f.caller(null).org.previewInvitation({ token })).rejects.toMatchObject(refusal);
      await expect(
        f.caller(null).org.acceptInvitationAsNewUser({ token, name: "Late", password: "late-password" }),
      ).rejects.toMatchObject(refusal);
    }
    expect(await counts()).toEqual(before);
  });

  it("an email that already has an account is told to sign in first, and nothing is written", async () => {
    const { org, email, invitation, anonymous } = await invited("viewer");
    const existing = await f.db.user.create({ data: { email, name: "Already Here", passwordHash: "x" } });
    expect(await anonymous.org.previewInvitation({ token: invitation.token })).toMatchObject({ hasAccount: true });

    const before = await counts();
    await expect(
      anonymous.org.acceptInvitationAsNewUser({
        token: invitation.token,
        name: "Impostor",
        password: "impostor-password",
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: `An account for ${email} already exists. Sign in as ${email} first, then open the invitation link again to accept it.`,
    });
    expect(await counts()).toEqual(before);
    expect(await f.db.user.findUniqueOrThrow({ where: { id: existing.id } })).toMatchObject({
      name: "Already Here",
      passwordHash: "x",
    });

    // Signed in, the same person accepts the still-open invitation with one call, and it is audited.
    expect(await f.caller(existing.id).org.acceptInvitation({ token: invitation.token })).toEqual({
      organizationId: org.id,
      role: "viewer",
    });
    expect(
      await f.db.auditEvent.count({
        where: { organizationId: org.id, action: "acceptInvitation", actorId: existing.id },
      }),
    ).toBe(1);
  });

  it("a name and a password of at least 10 characters are required, with messages per field", async () => {
    const { invitation, anonymous } = await invited();
    const before = await counts();
    const error = await anonymous.org
      .acceptInvitationAsNewUser({ token: invitation.token, name: " ", password: "short" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    // The web's formatter sends these per-field messages; the form shows them beside each field.
    expect(z.flattenError((error as { cause: z.ZodError }).cause).fieldErrors).toEqual({
      name: ["Enter your name"],
      password: ["Use at least 10 characters"],
    });
    expect(await counts()).toEqual(before);
  });
});
