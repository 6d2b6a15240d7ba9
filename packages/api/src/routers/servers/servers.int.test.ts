import { execFileSync } from "node:child_process";
import path from "node:path";
import { freePort } from "@kayos/devstack";
import { startSshd, type TestSshd } from "@kayos/devstack/testing/sshd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures } from "../../testing/fixtures";

let f: Fixtures;
let sshd: TestSshd;
let dead: string;

beforeAll(async () => {
  [f, sshd] = await Promise.all([createFixtures(), startSshd()]);
  dead = `http://127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await sshd?.close();
  await f?.close();
});

const urls = () => ({ nexusUrl: dead, smithUrl: dead, observerUrl: dead });

async function admin() {
  const org = await f.organization(urls());
  const user = await f.member(org.id, "admin");
  return { org, caller: f.caller(user.id) };
}

describe("servers", () => {
  it("creates a server without ever returning its API key or SSH key, and audits it with secrets redacted", async () => {
    const { org, caller } = await admin();
    const ssh = { host: sshd.host, port: sshd.port, user: sshd.user, privateKey: sshd.privateKey };
    const server = await caller.servers.create({ name: "acme-vm", ...urls(), apiKey: "kay_secret_api_key_123456", ssh });
    const everything = JSON.stringify([server, await caller.servers.list(), await caller.servers.get({ id: server.id })]);
    expect(everything).not.toContain("kay_secret_api_key_123456");
    expect(everything).not.toContain("PRIVATE KEY");
    const audit = await f.db.auditEvent.findFirstOrThrow({ where: { organizationId: org.id, resource: "servers" } });
    expect(audit).toMatchObject({ action: "create", resourceId: server.id });
    expect(JSON.stringify(audit.changes)).not.toContain("kay_secret_api_key_123456");
    expect(JSON.stringify(audit.changes)).not.toContain("PRIVATE KEY");
  });

  it("tests the connection over real SSH and reports the agent services it cannot reach", async () => {
    const { caller } = await admin();
    const ssh = { host: sshd.host, port: sshd.port, user: sshd.user, privateKey: sshd.privateKey };
    const server = await caller.servers.create({ name: "vm", ...urls(), apiKey: "kay_secret_api_key_123456", ssh });
    const result = await caller.servers.testConnection({ id: server.id });
    expect(result.ssh).toMatchObject({ ok: true, message: expect.stringMatching(/^Connected as \w+: Linux/) });
    expect(result.services.map((s) => s.state)).toEqual(["down", "down", "down"]);

    // The first login pins the host key OpenSSH reports for this server; another key is refused.
    const expected = execFileSync("ssh-keygen", ["-lf", path.join(sshd.dir, "host_key.pub")], { encoding: "utf8" }).split(" ")[1];
    expect((await caller.servers.get({ id: server.id })).sshHostKey).toBe(expected);
    const impostor = `SHA256:${"B".repeat(43)}`;
    await f.db.customerServer.update({ where: { id: server.id }, data: { sshHostKey: impostor } });
    expect((await caller.servers.testConnection({ id: server.id })).ssh).toMatchObject({
      ok: false,
      message: `SSH failed: the server showed host key ${expected}, not the pinned ${impostor}; if it was rebuilt, save its SSH access again to trust the new key`,
    });
    // Saving the SSH access again trusts whatever key the server shows next.
    await caller.servers.update({ id: server.id, ssh });
    expect((await caller.servers.get({ id: server.id })).sshHostKey).toBeNull();
  });

  it("a viewer's connection test reports the host key without pinning it", async () => {
    const { org, caller } = await admin();
    const ssh = { host: sshd.host, port: sshd.port, user: sshd.user, privateKey: sshd.privateKey };
    const server = await caller.servers.create({ name: "viewed", ...urls(), apiKey: "kay_secret_api_key_123456", ssh });
    const viewer = f.caller((await f.member(org.id, "viewer")).id);
    expect((await viewer.servers.testConnection({ id: server.id })).ssh).toMatchObject({ ok: true, hostKey: expect.stringMatching(/^SHA256:/) });
    expect((await caller.servers.get({ id: server.id })).sshHostKey).toBeNull();
  });

  it("says when SSH refuses the key, and when nothing listens", async () => {
    const { caller } = await admin();
    const wrongKey = await caller.servers.create({
      name: "wrong-key",
      ...urls(),
      apiKey: "kay_secret_api_key_123456",
      ssh: { host: sshd.host, port: sshd.port, user: sshd.user, privateKey: sshd.strangerKey },
    });
    expect((await caller.servers.testConnection({ id: wrongKey.id })).ssh).toMatchObject({
      ok: false,
      message: expect.stringContaining("refused the key"),
    });
    const closedPort = await freePort();
    const unreachable = await caller.servers.create({
      name: "unreachable",
      ...urls(),
      apiKey: "kay_secret_api_key_123456",
      ssh: { host: "127.0.0.1", port: closedPort, user: "root", privateKey: sshd.privateKey },
    });
    expect((await caller.servers.testConnection({ id: unreachable.id })).ssh).toMatchObject({
      ok: false,
      message: `SSH failed: nothing accepts SSH connections at 127.0.0.1:${closedPort}`,
    });
  });

  it("rejects bad input with a message per field and keeps names unique", async () => {
    const { caller } = await admin();
    await expect(
      caller.servers.create({ name: "", nexusUrl: "ftp://x", smithUrl: dead, observerUrl: dead, apiKey: "short" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await caller.servers.create({ name: "twice", ...urls(), apiKey: "kay_secret_api_key_123456" });
    await expect(caller.servers.create({ name: "twice", ...urls(), apiKey: "kay_secret_api_key_123456" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'A server named "twice" already exists',
    });
  });

  it("answers NOT_FOUND for another organization's server and lets a viewer only read", async () => {
    const a = await admin();
    const b = await admin();
    const theirs = await b.caller.servers.create({ name: "theirs", ...urls(), apiKey: "kay_secret_api_key_123456" });
    await expect(a.caller.servers.get({ id: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(a.caller.servers.remove({ id: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = await f.member(b.org.id, "viewer");
    expect(await f.caller(viewer.id).servers.list()).toHaveLength(2);
    await expect(f.caller(viewer.id).servers.remove({ id: theirs.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
