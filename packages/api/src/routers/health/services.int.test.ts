import { startAgents } from "@kayos/devstack/agents";
import { freePort } from "@kayos/devstack";
import type { Child } from "@kayos/devstack/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures } from "../../testing/fixtures";

let f: Fixtures;
let agents: Child;
let urls: { nexusUrl: string; smithUrl: string; observerUrl: string };

beforeAll(async () => {
  f = await createFixtures();
  const ports = { nexus: await freePort(), smith: await freePort(), observer: await freePort() };
  const started = await startAgents({ agentsDatabaseUrl: f.urls.agents, ports, env: { LOG_LEVEL: "warn" } });
  agents = started.child;
  urls = { nexusUrl: started.urls.nexus, smithUrl: started.urls.smith, observerUrl: started.urls.observer };
});

afterAll(async () => {
  await agents?.stop();
  await f?.close();
});

describe("health.services", () => {
  it("is UNAUTHORIZED without a signed-in user", async () => {
    await expect(f.caller(null).health.services()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("reports all three agent services healthy, with versions, for a viewer of the organization", async () => {
    const org = await f.organization(urls);
    const viewer = await f.member(org.id, "viewer");
    const result = await f.caller(viewer.id).health.services();
    expect(result.services.map((s) => [s.service, s.state])).toEqual([
      ["nexus", "healthy"],
      ["smith", "healthy"],
      ["observer", "healthy"],
    ]);
    expect(result.services.every((s) => /^\d+\.\d+\.\d+/.test(s.version ?? ""))).toBe(true);
  });

  it("names the service that is down while the others stay healthy", async () => {
    const deadPort = await freePort();
    const org = await f.organization({ ...urls, observerUrl: `http://127.0.0.1:${deadPort}` });
    const owner = await f.member(org.id, "owner");
    const { services } = await f.caller(owner.id).health.services();
    expect(services.find((s) => s.service === "observer")).toMatchObject({
      state: "down",
      message: expect.stringMatching(/observer at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)/),
    });
    expect(services.filter((s) => s.state === "healthy").map((s) => s.service)).toEqual(["nexus", "smith"]);
  });

  it("says when the services refuse the organization's API key", async () => {
    const org = await f.organization(urls);
    await f.agents.apiKey.updateMany({ where: { organizationId: org.id }, data: { revokedAt: new Date() } });
    const owner = await f.member(org.id, "owner");
    const { services } = await f.caller(owner.id).health.services();
    expect(services.map((s) => s.state)).toEqual(["key-rejected", "key-rejected", "key-rejected"]);
    expect(services[0]?.message).toMatch(/update the key in the server settings/);
  });

  it("is FORBIDDEN for a member of another organization", async () => {
    const mine = await f.organization(urls);
    const theirs = await f.organization(urls);
    const me = await f.member(mine.id, "owner");
    await expect(f.caller(me.id, theirs.id).health.services()).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "You are not a member of this organization",
    });
  });
});
