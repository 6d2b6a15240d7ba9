// Saving the Command Center settings refuses what Preview and Deploy would refuse, with a message
// that names the field, so a builder never sees "Saved." for settings that cannot be deployed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures } from "../../testing/fixtures";

const nowhere = { nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" };
let f: Fixtures;
beforeAll(async () => {
  f = await createFixtures();
});
afterAll(() => f.close());

async function setup() {
  const org = await f.organization(nowhere);
  const api = f.caller((await f.member(org.id, "admin")).id);
  const publish = async (name: string, agentType: "claude-conversational" | "shell", config: Record<string, string>) => {
    const agent = await api.agents.create({ name, agentType, config } as Parameters<typeof api.agents.create>[0]);
    await api.agents.publish({ id: agent.id });
    return agent;
  };
  const concierge = await publish("Concierge", "claude-conversational", { system: "Be kind." });
  const shell = await publish("Ops shell", "shell", { workspace: "ops" });
  return { api, concierge, shell };
}

describe("commandCenter.update validation", () => {
  it("commandCenter.update: a javascript: logo URL is BAD_REQUEST with a message naming the field, and nothing is saved", async () => {
    const { api, concierge } = await setup();
    const settings = { logoUrl: "javascript:alert(1)", agents: [{ agentId: concierge.id, version: 1 }] };
    const error = await api.commandCenter.update({ settings }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(JSON.stringify(error)).not.toContain("too_small");
    expect((error as { cause: { issues: { message: string }[] } }).cause.issues.map((i) => i.message)).toEqual([
      "Logo URL must be an http(s) address like https://example.com/logo.png (or a data:image/…;base64 URL)",
    ]);
    expect((await api.commandCenter.get()).settings.logoUrl).toBe("");
  });

  it("commandCenter.update: offering a shell agent is BAD_REQUEST with the same message Preview gives", async () => {
    const { api, concierge, shell } = await setup();
    const expected = '"Ops shell" is a shell agent: shell agents run in a terminal on the server and cannot be offered to end users; remove it from the agents offered';
    await expect(
      api.commandCenter.update({ settings: { agents: [{ agentId: concierge.id, version: 1 }, { agentId: shell.id, version: 1 }] } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expected });
    expect((await api.commandCenter.get()).settings.agents).toEqual([]);
    // Preview refuses the same settings with the same words (here written straight to the row).
    await f.db.commandCenter.update({ where: { id: (await api.commandCenter.update({ settings: {} })).id }, data: { settings: { agents: [{ agentId: shell.id, version: 1 }] } } });
    await expect(api.commandCenter.preview()).rejects.toMatchObject({ code: "BAD_REQUEST", message: expected });
  });

  it("commandCenter.get: marks terminal agents as not offerable; valid settings still save", async () => {
    const { api, concierge, shell } = await setup();
    const { agents } = await api.commandCenter.get();
    expect(agents.map((a) => [a.id, a.offerable])).toEqual(expect.arrayContaining([[concierge.id, true], [shell.id, false]]));
    await api.commandCenter.update({ settings: { logoUrl: "https://example.com/logo.png", agents: [{ agentId: concierge.id, version: 1 }] } });
    expect((await api.commandCenter.get()).settings).toMatchObject({ logoUrl: "https://example.com/logo.png", agents: [{ agentId: concierge.id, version: 1 }] });
  });

  it("commandCenter.update: a version that was never published is BAD_REQUEST", async () => {
    const { api, concierge } = await setup();
    await expect(api.commandCenter.update({ settings: { agents: [{ agentId: concierge.id, version: 7 }] } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("has no published version 7"),
    });
  });

  it("commandCenter.get: a logo URL saved before the rule existed falls back to none instead of breaking the page", async () => {
    const { api } = await setup();
    const { id } = await api.commandCenter.update({ settings: { productName: "Acme" } });
    await f.db.commandCenter.update({ where: { id }, data: { settings: { productName: "Acme", logoUrl: "javascript:alert(1)" } } });
    expect((await api.commandCenter.get()).settings).toMatchObject({ productName: "Acme", logoUrl: "" });
  });
});
