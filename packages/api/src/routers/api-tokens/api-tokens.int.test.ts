import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveBearer } from "../../services/bearer";
import { createFixtures, type Fixtures } from "../../testing/fixtures";
import { createCaller } from "../../root";
import { createContextInner } from "../../trpc";

let f: Fixtures;
const nowhere = { nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" };
beforeAll(async () => {
  f = await createFixtures();
});
afterAll(() => f.close());

/** A caller as the REST surface builds it from a bearer token. */
async function bearerCaller(raw: string) {
  const identity = await resolveBearer(f.db, raw, "unused-secret-0123456789");
  if (!identity) return null;
  return createCaller(
    createContextInner({
      db: f.db,
      userId: identity.userId,
      token: identity.token,
      config: { encryptionKey: "x".repeat(20), serviceTimeoutMs: 1000 },
    }),
  );
}

describe("apiTokens", () => {
  it("shows a token once, stores only its hash, and the token acts in its organization within its scopes", async () => {
    const org = await f.organization(nowhere);
    const builder = await f.member(org.id, "builder");
    const created = await f.caller(builder.id).apiTokens.create({ name: "ci", scopes: ["read"] });
    expect(created.token).toMatch(/^kat_/);
    const row = await f.db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(JSON.stringify(await f.caller(builder.id).apiTokens.list())).not.toContain(created.token);

    const api = await bearerCaller(created.token);
    expect(await api?.org.current()).toMatchObject({ id: org.id });
    await expect(api?.agents.create({ name: "x", agentType: "shell", config: { workspace: "w" } })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: 'This API token lacks the "write" scope',
    });
  });

  it("a token without the execute scope cannot run an agent given inline, directly or as a conversation, and is told why", async () => {
    const org = await f.organization(nowhere);
    const owner = await f.member(org.id, "owner");
    const { token } = await f.caller(owner.id).apiTokens.create({ name: "no-exec", scopes: ["read", "write"] });
    const api = await bearerCaller(token);
    const lacksExecute = { code: "FORBIDDEN", message: 'This API token lacks the "execute" scope' };
    await expect(api?.runs.execute({ agent_type: "claude-conversational", prompt: "hi" })).rejects.toMatchObject(lacksExecute);
    const conversation = await api!.conversations.create({});
    await expect(api?.conversations.send({ id: conversation.id, content: "hi" })).rejects.toMatchObject(lacksExecute);
    expect(await f.db.agentRun.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("a revoked or expired token no longer authenticates", async () => {
    const org = await f.organization(nowhere);
    const user = await f.member(org.id, "admin");
    const caller = f.caller(user.id);
    const revoked = await caller.apiTokens.create({ name: "old", scopes: ["read"] });
    await caller.apiTokens.revoke({ id: revoked.id });
    expect(await bearerCaller(revoked.token)).toBeNull();
    const expiring = await caller.apiTokens.create({ name: "short", scopes: ["read"], expiresInDays: 1 });
    await f.db.apiToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await bearerCaller(expiring.token)).toBeNull();
  });

  it("cannot reach another organization, even when asked to", async () => {
    const mine = await f.organization(nowhere);
    const theirs = await f.organization(nowhere);
    const user = await f.member(mine.id, "owner");
    await f.db.membership.create({ data: { userId: user.id, organizationId: theirs.id, role: "owner" } });
    const { token } = await f.caller(user.id, mine.id).apiTokens.create({ name: "mine only", scopes: ["read"] });
    const identity = await resolveBearer(f.db, token, "unused-secret-0123456789");
    const api = createCaller(
      createContextInner({
        db: f.db,
        userId: identity?.userId ?? null,
        token: identity?.token,
        organizationId: theirs.id,
        config: { encryptionKey: "x".repeat(20), serviceTimeoutMs: 1000 },
      }),
    );
    expect((await api.org.current()).id).toBe(mine.id);
  });
});
