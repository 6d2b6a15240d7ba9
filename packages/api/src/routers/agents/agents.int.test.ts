import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures } from "../../testing/fixtures";

let f: Fixtures;
const nowhere = { nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" };
beforeAll(async () => {
  f = await createFixtures();
});
afterAll(() => f.close());

async function team() {
  const org = await f.organization(nowhere);
  const builder = await f.member(org.id, "builder");
  const viewer = await f.member(org.id, "viewer");
  const admin = await f.member(org.id, "admin");
  return { org, builder: f.caller(builder.id), viewer: f.caller(viewer.id), viewerId: viewer.id, admin: f.caller(admin.id) };
}

describe("agents", () => {
  it("versions: edit a draft, publish immutable versions, restore an old one as the draft", async () => {
    const { builder } = await team();
    const agent = await builder.agents.create({
      name: "Helper",
      agentType: "claude-conversational",
      config: { system: "Be brief." },
    });
    expect((await builder.agents.publish({ id: agent.id })).version).toBe(1);
    await builder.agents.updateDraft({ id: agent.id, config: { system: "Be thorough." } });
    expect((await builder.agents.publish({ id: agent.id })).version).toBe(2);
    await expect(builder.agents.publish({ id: agent.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Nothing changed since version 2",
    });

    await builder.agents.restoreVersion({ id: agent.id, version: 1 });
    const detail = await builder.agents.get({ id: agent.id });
    expect(detail.config).toEqual({ system: "Be brief." });
    expect(detail.versions.map((v) => [v.version, v.config])).toEqual([
      [2, { system: "Be thorough." }],
      [1, { system: "Be brief." }],
    ]);
    expect(detail.latestVersion).toBe(2);
  });

  it("validates the config against the agent type and names the field", async () => {
    const { builder } = await team();
    await expect(
      builder.agents.create({ name: "Coder", agentType: "claude_code", config: { workspace: "../etc" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const coder = await builder.agents.create({ name: "Coder", agentType: "claude_code", config: { workspace: "proj" } });
    await expect(builder.agents.updateDraft({ id: coder.id, config: { workspace: "" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Workspace is required: name a folder under the server's workspace root",
    });
    await expect(builder.agents.updateDraft({ id: coder.id, config: { workspace: "proj", isolation: "sandbox" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Runs must be “Work in the workspace itself” or “Each run in its own git worktree”",
    });
  });

  it("a viewer cannot edit, until an admin grants edit on that one agent", async () => {
    const { builder, viewer, viewerId, admin } = await team();
    const agent = await builder.agents.create({ name: "Shared", agentType: "shell", config: { workspace: "w" } });
    await expect(viewer.agents.updateDraft({ id: agent.id, description: "mine" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(viewer.agents.create({ name: "Nope", agentType: "shell", config: { workspace: "w" } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await admin.agents.setGrant({ agentId: agent.id, userId: viewerId, permission: "edit", granted: true });
    await viewer.agents.updateDraft({ id: agent.id, description: "mine" });
    expect((await viewer.agents.get({ id: agent.id })).description).toBe("mine");
    const other = await builder.agents.create({ name: "Other", agentType: "shell", config: { workspace: "w" } });
    await expect(viewer.agents.updateDraft({ id: other.id, description: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("another organization's agent is NOT_FOUND, and names are unique per organization", async () => {
    const a = await team();
    const b = await team();
    const theirs = await b.builder.agents.create({ name: "Same", agentType: "planner", config: {} });
    await a.builder.agents.create({ name: "Same", agentType: "planner", config: {} });
    await expect(a.builder.agents.get({ id: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Each organization lists only its own agents, most recently changed first.
    const later = await a.builder.agents.create({ name: "Later", agentType: "shell", config: { workspace: "w" } });
    expect((await a.builder.agents.list()).map((x) => x.name)).toEqual(["Later", "Same"]);
    expect((await b.builder.agents.list()).map((x) => x.id)).toEqual([theirs.id]);
    expect((await a.builder.agents.list())[0]).toMatchObject({ id: later.id, agentType: "shell" });
    await expect(a.admin.agents.remove({ id: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.builder.agents.create({ name: "Same", agentType: "planner", config: {} })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});
