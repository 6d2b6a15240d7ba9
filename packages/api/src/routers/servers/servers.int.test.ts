import { execFileSync } from "node:child_process";
import path from "node:path";
import { freePort } from "@kayos/devstack";
import { decryptSecret } from "@kayos/db/secrets";
import { startSshd, type TestSshd } from "@kayos/devstack/testing/sshd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, ENCRYPTION_KEY, type Fixtures } from "../../testing/fixtures";

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
    const server = await caller.servers.create({
      name: "acme-vm",
      ...urls(),
      apiKey: "kay_secret_api_key_123456",
      ssh,
    });
    const everything = JSON.stringify([
      server,
      await caller.servers.list(),
      await caller.servers.get({ id: server.id }),
    ]);
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
    const expected = execFileSync("ssh-keygen", ["-lf", path.join(sshd.dir, "host_key.pub")], {
      encoding: "utf8",
    }).split(" ")[1];
    expect((await caller.servers.get({ id: server.id })).sshHostKey).toBe(expected);
    const impostor = `SHA256:${"B".repeat(43)}`;
    await f.db.customerServer.update({ where: { id: server.id }, data: { sshHostKey: impostor } });
    expect((await caller.servers.testConnection({ id: server.id })).ssh).toMatchObject({
      ok: false,
      message: `SSH failed: the server showed host key ${expected}, not the pinned ${impostor}; if it was rebuilt, edit the server and tick “Trust a new host key” (over the API: send its ssh access again, the key may be left out)`,
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
    expect((await viewer.servers.testConnection({ id: server.id })).ssh).toMatchObject({
      ok: true,
      hostKey: expect.stringMatching(/^SHA256:/),
    });
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
    await expect(
      caller.servers.create({ name: "twice", ...urls(), apiKey: "kay_secret_api_key_123456" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'A server named "twice" already exists: choose another name',
    });
  });

  it("says what to enter, in words, for each field a builder gets wrong", async () => {
    const { caller } = await admin();
    const bad = { name: "  ", nexusUrl: "ftp://x", smithUrl: dead, observerUrl: dead, apiKey: "short" };
    const ssh = { host: "bad host name!", port: 99999, user: "", privateKey: "not a key" };
    const error = await caller.servers.create({ ...bad, ssh }).catch((e: unknown) => e);
    const messages = Object.fromEntries(
      (error as { cause: { issues: { path: string[]; message: string }[] } }).cause.issues.map((i) => [
        i.path.join("."),
        i.message,
      ]),
    );
    expect(messages).toEqual({
      name: "Give the server a name",
      nexusUrl: "Enter an http:// or https:// URL, like http://10.0.0.5:8000",
      apiKey: "Paste the agent services' API key (16 characters or more)",
      "ssh.host": "Enter a host name or IP address, like vm.example.com or 203.0.113.10 (no spaces or symbols)",
      "ssh.port": "Enter a port number from 1 to 65535 (SSH usually listens on 22)",
      "ssh.user": "Enter the user to sign in as, like deploy",
      "ssh.privateKey": "Paste a private key in PEM or OpenSSH format (it starts with -----BEGIN … PRIVATE KEY-----)",
    });
  });

  it("updates name, URLs and API key; fields left out keep their value and secrets stay write-only", async () => {
    const { caller } = await admin();
    const server = await caller.servers.create({ name: "before", ...urls(), apiKey: "kay_secret_api_key_123456" });
    await caller.servers.create({ name: "taken", ...urls(), apiKey: "kay_secret_api_key_123456" });
    const updated = await caller.servers.update({
      id: server.id,
      name: "after",
      nexusUrl: "http://10.0.0.5:8000",
      apiKey: "kay_rotated_api_key_654321",
    });
    expect(updated).toMatchObject({
      name: "after",
      nexusUrl: "http://10.0.0.5:8000",
      smithUrl: dead,
      observerUrl: dead,
    });
    expect(JSON.stringify(updated)).not.toContain("kay_rotated_api_key_654321");
    const stored = await f.db.customerServer.findUniqueOrThrow({ where: { id: server.id } });
    expect(decryptSecret(stored.apiKeyCiphertext, ENCRYPTION_KEY)).toBe("kay_rotated_api_key_654321");
    await expect(caller.servers.update({ id: server.id, name: "taken" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'A server named "taken" already exists: choose another name',
    });
    await expect(caller.servers.update({ id: server.id, name: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("adds SSH access to an existing server, then re-saves it without the key to trust a new host key", async () => {
    const { caller } = await admin();
    const server = await caller.servers.create({ name: "no-ssh-yet", ...urls(), apiKey: "kay_secret_api_key_123456" });
    const access = { host: sshd.host, port: sshd.port, user: sshd.user };
    await expect(caller.servers.update({ id: server.id, ssh: access })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Paste the SSH private key: this server has none stored yet",
    });
    await caller.servers.update({ id: server.id, ssh: { ...access, privateKey: sshd.privateKey } });
    expect((await caller.servers.testConnection({ id: server.id })).ssh).toMatchObject({ ok: true });
    expect((await caller.servers.get({ id: server.id })).sshHostKey).toMatch(/^SHA256:/);

    // Saved again with the key left empty: the stored key still works and the next contact pins afresh.
    const resaved = await caller.servers.update({ id: server.id, ssh: access });
    expect(resaved).toMatchObject({ sshHost: sshd.host, sshPort: sshd.port, sshUser: sshd.user, sshHostKey: null });
    expect((await caller.servers.testConnection({ id: server.id })).ssh).toMatchObject({ ok: true });

    const removed = await caller.servers.update({ id: server.id, ssh: null });
    expect(removed).toMatchObject({ sshHost: null, sshUser: null, sshHostKey: null });
    expect((await caller.servers.testConnection({ id: server.id })).ssh).toBeNull();
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

  it("makes another server the one default, and the oldest one left takes over when the default is removed", async () => {
    const a = await admin();
    const second = await a.caller.servers.create({ name: "second", ...urls(), apiKey: "kay_secret_api_key_123456" });
    const third = await a.caller.servers.create({ name: "third", ...urls(), apiKey: "kay_secret_api_key_123456" });
    expect(second.isDefault).toBe(false);
    const defaults = async () => (await a.caller.servers.list()).filter((s) => s.isDefault).map((s) => s.name);
    expect(await a.caller.servers.setDefault({ id: third.id })).toMatchObject({ id: third.id, isDefault: true });
    expect(await defaults()).toEqual(["third"]);
    await a.caller.servers.remove({ id: third.id });
    expect(await defaults()).toEqual(["local"]);
    await a.caller.servers.remove({ id: (await a.caller.servers.list()).find((s) => s.name === "local")!.id });
    expect(await defaults()).toEqual(["second"]);
    await expect(a.caller.servers.setDefault({ id: "no-such-server" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
