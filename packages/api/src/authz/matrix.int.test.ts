// The authorization matrix: every procedure of the router x every role x own/foreign organization.
// The procedure list comes from the router itself, so a new procedure without an expectation fails.
import type { Role } from "@kayos/db/control";
import { ROLES } from "@kayos/db/roles";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root";
import { createFixtures, type Fixtures } from "../testing/fixtures";

type Needs = Role | "signed-in" | "public";
const RANK: Record<Role, number> = { viewer: 0, builder: 1, admin: 2, owner: 3 };

/** The least role each procedure needs (the product's permission table, written independently). */
const expected: Record<string, Needs> = {
  "health.services": "viewer",
  "org.current": "viewer",
  "org.mine": "signed-in",
  "org.members": "viewer",
  "org.update": "owner",
  "org.invite": "admin",
  "org.invitations": "viewer",
  "org.revokeInvitation": "admin",
  "org.previewInvitation": "public",
  "org.acceptInvitation": "signed-in",
  "org.acceptInvitationAsNewUser": "public",
  "org.changeRole": "admin",
  "org.removeMember": "admin",
  "servers.list": "viewer",
  "servers.get": "viewer",
  "servers.create": "admin",
  "servers.update": "admin",
  "servers.remove": "admin",
  "servers.setDefault": "admin",
  "servers.testConnection": "viewer",
  "agents.list": "viewer",
  "agents.get": "viewer",
  "agents.create": "builder",
  "agents.updateDraft": "builder",
  "agents.publish": "builder",
  "agents.restoreVersion": "builder",
  "agents.remove": "admin",
  "agents.setGrant": "admin",
  "analytics.session": "viewer",
  "analytics.dashboard": "viewer",
  "analytics.runs": "viewer",
  "runs.execute": "builder",
  "runs.list": "viewer",
  "runs.get": "viewer",
  "runs.stop": "builder",
  "runs.approvals": "viewer",
  "runs.decide": "builder",
  "runs.answer": "builder",
  "runs.changes": "viewer",
  "runs.events": "viewer",
  "conversations.list": "viewer",
  "conversations.create": "builder",
  "conversations.get": "viewer",
  "conversations.send": "builder",
  "terminal.open": "builder",
  "terminal.input": "builder",
  "terminal.resize": "builder",
  "commandCenter.get": "viewer",
  "commandCenter.preview": "viewer",
  "commandCenter.deployment": "viewer",
  "commandCenter.update": "builder",
  "commandCenter.saveUser": "builder",
  "commandCenter.removeUser": "builder",
  "commandCenter.deploy": "admin",
  "commandCenter.rollback": "admin",
  "apiTokens.list": "builder",
  "apiTokens.create": "builder",
  "apiTokens.revoke": "builder",
  "audit.list": "admin",
};

let f: Fixtures;
let own: { id: string };
let foreign: { id: string };
const users = {} as Record<Role, { id: string; email: string }>;
const dead = { nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" };
let n = 0;

beforeAll(async () => {
  f = await createFixtures();
  own = await f.organization(dead);
  foreign = await f.organization(dead);
  for (const role of ROLES) users[role] = await f.member(own.id, role);
  await f.member(foreign.id, "owner");
});
afterAll(() => f.close());

/** A valid input for each procedure, made fresh in the caller's own organization by its owner. */
async function inputFor(path: string, role: Role): Promise<unknown> {
  const owner = f.caller(users.owner.id, own.id);
  const fresh = `m${++n}`;
  const agent = () => owner.agents.create({ name: `agent-${fresh}`, agentType: "shell", config: { workspace: "w" } });
  const server = () => owner.servers.create({ name: `server-${fresh}`, ...dead, apiKey: "kay_matrix_key_0123456789" });
  const member = async () => (await f.member(own.id, "viewer")).id;
  switch (path) {
    case "org.update":
      return { name: `Org ${fresh}` };
    case "org.invite":
      return { email: `${fresh}@example.test`, role: "viewer" };
    case "org.revokeInvitation":
      return { id: (await owner.org.invite({ email: `${fresh}@example.test`, role: "viewer" })).id };
    case "org.acceptInvitation":
    case "org.previewInvitation":
      return { token: "kinv_not_a_real_invitation" }; // anyone allowed may try; an unknown one is NOT_FOUND
    case "org.acceptInvitationAsNewUser":
      return { token: "kinv_not_a_real_invitation", name: "New Person", password: "a-long-enough-password" };
    case "org.changeRole":
      return { userId: await member(), role: "builder" };
    case "org.removeMember":
      return { userId: await member() };
    case "servers.get":
    case "servers.remove":
    case "servers.setDefault":
    case "servers.testConnection":
      return { id: (await server()).id };
    case "servers.update":
      return { id: (await server()).id, name: `renamed-${fresh}` };
    case "servers.create":
      return { name: `server-${fresh}`, ...dead, apiKey: "kay_matrix_key_0123456789" };
    case "agents.get":
    case "agents.publish":
    case "agents.remove":
      return { id: (await agent()).id };
    case "agents.updateDraft":
      return { id: (await agent()).id, description: "changed" };
    case "agents.restoreVersion": {
      const a = await agent();
      await owner.agents.publish({ id: a.id });
      return { id: a.id, version: 1 };
    }
    case "agents.create":
      return { name: `agent-${fresh}`, agentType: "shell", config: { workspace: "w" } };
    case "agents.setGrant":
      return { agentId: (await agent()).id, userId: users.viewer.id, permission: "use", granted: true };
    case "apiTokens.create":
      return { name: fresh, scopes: ["read"] };
    case "apiTokens.revoke":
      return { id: (await f.caller(users[role].id, own.id).apiTokens.create({ name: fresh, scopes: ["read"] }).catch(() => ({ id: "none" }))).id };
    case "commandCenter.update":
      return { settings: { productName: `CC ${fresh}` } };
    case "commandCenter.saveUser":
      await owner.commandCenter.update({ settings: { tenants: [{ id: "acme", name: "Acme" }] } });
      return { email: `${fresh}@example.test`, name: fresh, tenant: "acme", password: "end-user-password" };
    case "commandCenter.removeUser": {
      await owner.commandCenter.update({ settings: { tenants: [{ id: "acme", name: "Acme" }] } });
      return { id: (await owner.commandCenter.saveUser({ email: `${fresh}@example.test`, name: fresh, tenant: "acme", password: "end-user-password" })).id };
    }
    case "commandCenter.deployment":
      return { id: (await f.db.deployment.create({ data: { organizationId: own.id, version: fresh } })).id };
    // No SSH on the matrix's servers: an allowed deploy or rollback fails for that reason, not FORBIDDEN.
    case "commandCenter.deploy":
    case "commandCenter.rollback":
      return {};
    case "conversations.create":
      return { title: fresh };
    case "conversations.get":
    case "conversations.send":
      return { id: (await owner.conversations.create({ title: fresh })).id, content: "hello" };
    case "audit.list":
    case "conversations.list":
    case "runs.list":
    case "analytics.dashboard":
    case "analytics.runs":
      return {};
    case "analytics.session":
      return { id: "some-session" };
    // The agent services are unreachable here: an allowed call fails upstream (not FORBIDDEN).
    case "runs.execute":
      return { agent_type: "claude-conversational", prompt: "hi" };
    case "terminal.open":
    case "terminal.input":
    case "terminal.resize":
      return {
        runId: (await f.db.agentRun.create({ data: { organizationId: own.id, agentType: "shell", service: "smith", externalId: "s1", status: "running" } })).id,
        ...(path === "terminal.input" ? { data: "ls\n" } : path === "terminal.resize" ? { cols: 80, rows: 24 } : {}),
      };
    case "runs.events":
    case "runs.approvals":
      return { id: (await f.db.agentRun.create({ data: { organizationId: own.id, agentType: "claude_code", service: "smith", externalId: "s1", status: "running" } })).id };
    case "runs.decide":
      return {
        id: (await f.db.agentRun.create({ data: { organizationId: own.id, agentType: "claude_code", service: "smith", externalId: "s1", status: "running" } })).id,
        requestId: "r1",
        behavior: "allow",
      };
    case "runs.answer":
      return {
        id: (await f.db.agentRun.create({ data: { organizationId: own.id, agentType: "complete-planner", service: "nexus", externalId: "e1", status: "running" } })).id,
        answer: "blue",
      };
    case "runs.get":
    case "runs.changes":
    case "runs.stop":
      return { id: (await f.db.agentRun.create({ data: { organizationId: own.id, agentType: "shell", service: "smith", externalId: "s1", status: "running" } })).id };
    default:
      return undefined;
  }
}

async function call(path: string, userId: string | null, organizationId: string, input: unknown) {
  let target: unknown = f.caller(userId, organizationId);
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  try {
    await (target as (i: unknown) => Promise<unknown>)(input);
    return "ok";
  } catch (error) {
    return error instanceof TRPCError ? error.code : `unexpected ${String(error)}`;
  }
}

const procedures = Object.keys(appRouter._def.procedures).sort();

describe("authorization matrix", () => {
  it("has an expectation for every procedure of the router, and no stale ones", () => {
    expect(procedures).toEqual(Object.keys(expected).sort());
  });

  for (const path of procedures) {
    const needs = expected[path];
    const title =
      needs === "public"
        ? `${path}: allowed without signing in`
        : needs === "signed-in"
          ? `${path}: allowed for every signed-in user`
          : `${path}: allowed from ${needs} up in its own organization, FORBIDDEN in a foreign one`;
    it(title, async () => {
      if (needs === "public") {
        const outcome = await call(path, null, own.id, await inputFor(path, "viewer"));
        expect(["anonymous", outcome]).not.toEqual(["anonymous", expect.stringMatching(/^(FORBIDDEN|UNAUTHORIZED|BAD_REQUEST)$/)]);
      }
      for (const role of ROLES) {
        const open = needs === "signed-in" || needs === "public";
        const allowed = open || (needs !== undefined && RANK[role] >= RANK[needs]);
        const outcome = await call(path, users[role].id, own.id, await inputFor(path, role));
        if (allowed) expect([role, outcome]).not.toEqual([role, expect.stringMatching(/^(FORBIDDEN|UNAUTHORIZED|BAD_REQUEST)$/)]);
        else expect([role, outcome]).toEqual([role, "FORBIDDEN"]);
        if (!open) {
          expect([role, "foreign", await call(path, users[role].id, foreign.id, await inputFor(path, role))]).toEqual([
            role,
            "foreign",
            "FORBIDDEN",
          ]);
        }
      }
    });
  }
});
