// The customize-and-deploy flow through the router, to a real OpenSSH server on 127.0.0.1 (the
// "customer server" is this machine, as the current user) with the real Command Center release.
import { bundle } from "@kayos/command-center/bundle";
import { freePort } from "@kayos/devstack/ports";
import { startSshd, type TestSshd } from "@kayos/devstack/testing/sshd";
import { cpSync, existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../testing/eventually";
import { createFixtures, type Fixtures } from "../../testing/fixtures";

const dead = "http://127.0.0.1:9";

let f: Fixtures;
let sshd: TestSshd;
const work = mkdtempSync(path.join(os.tmpdir(), "kayos-cc-router-"));
let release: string;
let brokenRelease: string;
const roots: string[] = [];

beforeAll(async () => {
  [f, sshd] = await Promise.all([createFixtures(), startSshd()]);
  release = (await bundle(path.join(work, "release"))).dir;
  // A release that dies at start-up: its health check can never pass.
  brokenRelease = path.join(work, "broken-release");
  cpSync(release, brokenRelease, { recursive: true });
  writeFileSync(path.join(brokenRelease, "server.mjs"), 'console.error("boom: this release is broken"); process.exit(1);\n');
});

afterAll(async () => {
  for (const root of roots) {
    const pidFile = path.join(root, "shared/app.pid");
    if (!existsSync(pidFile)) continue;
    try {
      process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGKILL");
    } catch {
      // already gone
    }
  }
  await sshd?.close();
  await f?.close();
  rmSync(work, { recursive: true, force: true });
});

type Api = ReturnType<Fixtures["caller"]>;

/** Polls the deployment until it leaves "running" (bounded), as the page does. */
const finished = (api: Api, id: string) =>
  eventually(() => api.commandCenter.deployment({ id }), (d) => d.status !== "running", `deployment ${id} finishing`, 600);

async function health(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
  return (await res.json()) as { status: string; release: string; agents: number; tenants: number };
}

/** An organization whose server has SSH access, a builder, and two published Nexus agents. */
async function setup(privateKey = sshd.privateKey, sshPort = sshd.port) {
  const apiKey = `kay_cc_${randomUUID()}`;
  const org = await f.organization({ nexusUrl: dead, smithUrl: dead, observerUrl: dead }, apiKey);
  const admin = await f.member(org.id, "admin");
  const api = f.caller(admin.id, undefined, { commandCenterReleaseDir: release });
  const server = await api.servers.create({
    name: "customer-vm",
    nexusUrl: "http://127.0.0.1:8000",
    smithUrl: dead,
    observerUrl: dead,
    apiKey,
    ssh: { host: sshd.host, port: sshPort, user: sshd.user, privateKey },
  });
  const publish = async (name: string) => {
    const agent = await api.agents.create({ name, agentType: "claude-conversational", config: { system: `You are ${name}.` } });
    await api.agents.publish({ id: agent.id });
    return agent;
  };
  const support = await publish("Support");
  const writer = await publish("Writer");
  const root = path.join(work, `root-${org.id}`);
  roots.push(root);
  const port = await freePort();
  const settings = {
    productName: "Acme Assist",
    agents: [{ agentId: support.id, version: 1 }],
    tenants: [{ id: "acme", name: "Acme", agentIds: [support.id] }],
    root,
    port,
  };
  await api.commandCenter.update({ settings, serverId: server.id });
  return { org, admin, api, server, support, writer, root, port, settings, apiKey };
}

describe("commandCenter deploy", { timeout: 90_000 }, () => {
  it("deploys, redeploys with changed agents, rolls back by itself on a broken release, and by hand", async () => {
    const { api, admin, support, writer, root, port, settings, apiKey, server } = await setup();
    await api.commandCenter.saveUser({ email: "ann@acme.test", name: "Ann", tenant: "acme", password: "ann-password-123" });

    // First deploy: the mutation answers at once; the steps land on the deployment as they happen.
    const first = await api.commandCenter.deploy({});
    expect(first.status).toBe("running");
    const one = await finished(api, first.id);
    expect(one).toMatchObject({ status: "succeeded", error: null, previous: null, createdById: admin.id });
    expect(one.agentVersions).toEqual([{ agentId: support.id, name: "Support", version: 1 }]);
    expect(one.createdBy?.email).toBe(admin.email);
    const steps = (one.log as { step: string; status: string }[]).filter((s) => s.status === "succeeded").map((s) => s.step);
    expect(steps).toEqual(expect.arrayContaining(["connect", "upload", "switch", "health"]));
    expect(readlinkSync(path.join(root, "current"))).toBe(`releases/${one.version}`);
    expect(await health(port)).toMatchObject({ status: "healthy", release: one.version, agents: 1, tenants: 1 });
    // The first contact pinned the server's host key; every later deploy must see the same one.
    expect((await f.db.customerServer.findUniqueOrThrow({ where: { id: server.id } })).sshHostKey).toMatch(/^SHA256:/);
    // The generated config is in the release; the secrets are beside it, readable by the owner only.
    const config = JSON.parse(readFileSync(path.join(root, "current/config/agents.json"), "utf8")) as { branding: { product_name: string } };
    expect(config.branding.product_name).toBe("Acme Assist");
    expect(statSync(path.join(root, "shared/secrets.json")).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(await api.commandCenter.get())).not.toContain(apiKey);

    // The deployed app signs in its end user with the password set in the dashboard.
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ann@acme.test", password: "ann-password-123" }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const agents = (await (await fetch(`http://127.0.0.1:${port}/api/agents`, { headers: { cookie } })).json()) as { agents: { name: string }[] };
    expect(agents.agents.map((a) => a.name)).toEqual(["Support"]);

    // Redeploy with a second agent: a new release, the old one kept as "previous".
    await api.commandCenter.update({
      settings: {
        ...settings,
        agents: [...settings.agents, { agentId: writer.id, version: 1 }],
        tenants: [{ id: "acme", name: "Acme", agentIds: [support.id, writer.id] }],
      },
    });
    const two = await finished(api, (await api.commandCenter.deploy({})).id);
    expect(two).toMatchObject({ status: "succeeded", previous: one.version });
    expect(two.agentVersions).toHaveLength(2);
    expect(await health(port)).toMatchObject({ release: two.version, agents: 2 });

    // A release whose health check fails is switched back to the one that worked.
    const broken = f.caller(admin.id, undefined, { commandCenterReleaseDir: brokenRelease });
    const three = await finished(broken, (await broken.commandCenter.deploy({})).id);
    expect(three.status).toBe("rolled_back");
    expect(three.error).toContain("health");
    expect(three.log).toEqual(expect.arrayContaining([expect.objectContaining({ step: "rollback" })]));
    expect(readlinkSync(path.join(root, "current"))).toBe(`releases/${two.version}`);
    expect(await health(port)).toMatchObject({ status: "healthy", release: two.version });

    // By hand: back to the first release.
    const back = await finished(api, (await api.commandCenter.rollback({ to: one.version })).id);
    expect(back).toMatchObject({ kind: "rollback", status: "succeeded" });
    expect(await health(port)).toMatchObject({ release: one.version, agents: 1 });

    // Every deployment is recorded, newest first.
    const history = (await api.commandCenter.get()).deployments.map((d) => [d.kind, d.status]);
    expect(history).toEqual([
      ["rollback", "succeeded"],
      ["deploy", "rolled_back"],
      ["deploy", "succeeded"],
      ["deploy", "succeeded"],
    ]);
  });

  it("previews the generated config without secrets, and removes end users of its own organization only", async () => {
    const { api, apiKey } = await setup();
    const ann = await api.commandCenter.saveUser({ email: "ann@acme.test", name: "Ann", tenant: "acme", password: "ann-password-123" });
    const preview = await api.commandCenter.preview();
    expect(preview).toMatchObject({
      branding: { product_name: "Acme Assist" },
      services: { nexus_url: "http://127.0.0.1:8000" },
      agents: [{ id: "support", name: "Support", adapter: "nexus", version: 1, config: { agent_type: "claude-conversational", system: "You are Support." } }],
      tenants: [{ id: "acme", name: "Acme", agents: ["support"] }],
    });
    expect(JSON.stringify(preview)).not.toMatch(new RegExp(`${apiKey}|ann-password|password_hash|session_secret`));
    const other = await setup();
    await expect(other.api.commandCenter.removeUser({ id: ann.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await api.commandCenter.removeUser({ id: ann.id });
    expect((await api.commandCenter.get()).users).toEqual([]);
    await expect(api.commandCenter.saveUser({ email: "bob@acme.test", name: "Bob", tenant: "nowhere", password: "bob-password-123" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: 'No tenant "nowhere": add it under Tenants first',
    });
  });

  it("fails with a clear error for a key the server refuses and for a host where nothing listens", async () => {
    const wrongKey = await setup(sshd.strangerKey);
    const refused = await finished(wrongKey.api, (await wrongKey.api.commandCenter.deploy({})).id);
    expect(refused.status).toBe("failed");
    expect(refused.error).toContain("refused the SSH key");
    expect(existsSync(wrongKey.root)).toBe(false);

    const closed = await freePort();
    const unreachable = await setup(sshd.privateKey, closed);
    const down = await finished(unreachable.api, (await unreachable.api.commandCenter.deploy({})).id);
    expect(down.status).toBe("failed");
    expect(down.error).toBe(`Could not reach 127.0.0.1:${closed} (ECONNREFUSED) — check the host and port`);
    // A server that shows another host key than the pinned one is not deployed to.
    const moved = await setup();
    await f.db.customerServer.update({ where: { id: moved.server.id }, data: { sshHostKey: `SHA256:${"C".repeat(43)}` } });
    const intercepted = await finished(moved.api, (await moved.api.commandCenter.deploy({})).id);
    expect(intercepted.status).toBe("failed");
    expect(intercepted.error).toContain(`not the pinned SHA256:${"C".repeat(43)}`);
    expect(existsSync(moved.root)).toBe(false);

    // Neither error leaks the key it tried.
    expect(JSON.stringify([refused, down])).not.toContain("PRIVATE KEY");
  });

  it("refuses to deploy without SSH access, without a built release, or with nothing offered", async () => {
    const { api, server, org } = await setup();
    await api.servers.update({ id: server.id, ssh: null });
    await expect(api.commandCenter.deploy({})).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("has no SSH access") });
    // A rollback too, before it records anything.
    await f.db.deployment.create({ data: { organizationId: org.id, serverId: server.id, version: "v-old", status: "succeeded" } });
    await expect(api.commandCenter.rollback({})).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("has no SSH access") });
    expect(await f.db.deployment.count({ where: { organizationId: org.id } })).toBe(1);

    const second = await setup();
    const noRelease = f.caller(second.admin.id, second.org.id, { commandCenterReleaseDir: path.join(work, "missing") });
    await expect(noRelease.commandCenter.deploy({})).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("not built") });

    const third = await setup();
    await third.api.commandCenter.update({ settings: { ...third.settings, agents: [], tenants: [] } });
    await expect(third.api.commandCenter.deploy({})).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Offer at least one agent before deploying" });
    expect(await f.db.deployment.count({ where: { organizationId: { in: [third.org.id] } } })).toBe(0);
  });

  it("keeps each organization's deployments to itself; viewers read, builders cannot deploy", async () => {
    const a = await setup();
    const b = await setup();
    const deployment = await finished(a.api, (await a.api.commandCenter.deploy({})).id);
    const other = f.caller(b.admin.id);
    await expect(other.commandCenter.deployment({ id: deployment.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await other.commandCenter.get()).deployments).toEqual([]);

    const viewer = f.caller((await f.member(a.org.id, "viewer")).id, undefined, { commandCenterReleaseDir: release });
    expect((await viewer.commandCenter.get()).deployments).toHaveLength(1);
    await expect(viewer.commandCenter.deploy({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    const builder = f.caller((await f.member(a.org.id, "builder")).id, undefined, { commandCenterReleaseDir: release });
    await expect(builder.commandCenter.deploy({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(builder.commandCenter.rollback({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
