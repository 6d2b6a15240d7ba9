// Deploys the fake release to a real OpenSSH server on 127.0.0.1 (the "remote" is this machine, as
// the current user), so every remote command, the SFTP writes and the detached app run for real.
import { freePort } from "@kayos/devstack/ports";
import { startSshd, type TestSshd } from "@kayos/devstack/testing/sshd";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeployError, deployRelease, listReleases, rollback, type DeployOptions, type DeployStep } from "./index";
import { makeFakeRelease } from "./testing/fake-release";

const SECRET = "s3cr3t-session-value-do-not-show";
const API_KEY = "sk-test-api-key-0123456789";
const secrets = JSON.stringify({ sessionSecret: SECRET, apiKeys: { nexus: API_KEY }, users: [] });

let sshd: TestSshd;
let releaseDir: string;
const workDir = mkdtempSync(path.join(os.tmpdir(), "kayos-deploy-test-"));
const roots: string[] = [];
const pids = new Set<number>();

function newRoot(name: string) {
  const root = path.join(workDir, name);
  roots.push(root);
  return root;
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/.*\) /s, "")[0] !== "Z"; // a zombie is dead
  } catch {
    return true;
  }
}

function appPid(root: string) {
  const pid = Number(readFileSync(path.join(root, "shared/app.pid"), "utf8").trim());
  pids.add(pid);
  return pid;
}

async function health(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
  return { status: res.status, body: (await res.json()) as { status: string; version: string; pid: number } };
}

function options(root: string, port: number, version: string, config: Record<string, unknown> = {}): DeployOptions {
  return {
    ssh: { host: sshd.host, port: sshd.port, username: sshd.user, privateKey: sshd.privateKey, timeoutMs: 5000 },
    root,
    releaseDir,
    files: { "config/agents.json": JSON.stringify({ version, ...config }) },
    secrets,
    version,
    port,
    healthTimeoutMs: 10_000,
  };
}

const stepsOf = (log: DeployStep[]) => log.map((s) => `${s.step}:${s.status}`);

beforeAll(async () => {
  sshd = await startSshd();
  releaseDir = makeFakeRelease();
});

afterAll(async () => {
  for (const root of roots) {
    const file = path.join(root, "shared/app.pid");
    if (existsSync(file)) pids.add(Number(readFileSync(file, "utf8").trim()));
  }
  for (const pid of pids) if (pid > 0 && isRunning(pid)) process.kill(pid, "SIGKILL");
  await sshd?.close();
  rmSync(workDir, { recursive: true, force: true });
  if (releaseDir) rmSync(releaseDir, { recursive: true, force: true });
});

describe("deployRelease, rollback and listReleases over real SSH", () => {
  const root = newRoot("main");
  let port: number;
  beforeAll(async () => {
    port = await freePort();
  });

  it("first deploy: uploads, writes secrets 0600, starts the app detached and passes its health check", async () => {
    const seen: DeployStep[] = [];
    const result = await deployRelease({ ...options(root, port, "v1"), onProgress: (s) => seen.push(s) });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ status: "succeeded", version: "v1", previous: null });
    expect(seen).toEqual(result.log);
    expect(stepsOf(result.log)).toEqual([
      "connect:running",
      "connect:succeeded",
      "upload:running",
      "upload:succeeded",
      "configure:running",
      "configure:succeeded",
      "switch:running",
      "switch:succeeded",
      "restart:running",
      "restart:succeeded",
      "health:running",
      "health:succeeded",
      "done:succeeded",
    ]);
    expect(result.log.find((s) => s.step === "upload" && s.status === "running")?.message).toMatch(
      /^Uploading 5 files \(\d+ KB\)$/,
    );
    expect(result.log.find((s) => s.step === "upload" && s.status === "succeeded")?.message).toContain("over SFTP as one tar.gz");
    expect(result.log.find((s) => s.step === "health" && s.status === "succeeded")?.message).toMatch(
      /^Health check passed in \d+\.\d s$/,
    );
    expect(await health(port)).toMatchObject({ status: 200, body: { status: "healthy", version: "v1" } });
    expect(readlinkSync(path.join(root, "current"))).toBe("releases/v1");
    expect(statSync(path.join(root, "shared/secrets.json")).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(root, "shared/secrets.json"), "utf8")).toBe(secrets);
    expect(existsSync(path.join(root, "shared/data"))).toBe(true);
    expect(readdirSync(path.join(root, "releases"))).toEqual(["v1"]);
    expect(readdirSync(path.join(root, "shared")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    // The app outlived the SSH session that started it.
    expect(isRunning(appPid(root))).toBe(true);
  });

  it("redeploy (file by file over SFTP) serves the new agents.json, keeps the previous release and leaves no orphan", async () => {
    const oldPid = appPid(root);
    const result = await deployRelease({ ...options(root, port, "v2", { agents: ["support"] }), transfer: "sftp" });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ status: "succeeded", version: "v2", previous: "v1" });
    expect(result.log.find((s) => s.step === "upload" && s.status === "succeeded")?.message).toContain(
      "file by file over SFTP",
    );
    expect(result.log.find((s) => s.step === "restart" && s.status === "succeeded")?.message).toMatch(
      new RegExp(`^Stopped the running app \\(pid ${oldPid}\\); started release v2 \\(pid \\d+\\) on port ${port}$`),
    );
    const { body } = await health(port);
    expect(body.version).toBe("v2");
    expect(body.pid).toBe(appPid(root));
    expect(isRunning(oldPid)).toBe(false);
    expect(JSON.parse(readFileSync(path.join(root, "releases/v2/config/agents.json"), "utf8"))).toEqual({
      version: "v2",
      agents: ["support"],
    });
    expect(statSync(path.join(root, "releases/v2/public/assets/app.js")).isFile()).toBe(true);
    expect(await listReleases({ ssh: options(root, port, "x").ssh, root })).toEqual({
      current: "v2",
      previous: "v1",
      releases: ["v2", "v1"],
    });
  });

  it("refuses to overwrite a release that already exists", async () => {
    const result = await deployRelease(options(root, port, "v2"));
    expect(result.status).toBe("failed");
    expect(result.error).toBe(
      "Release v2 already exists on the server — deploy under a new version, or roll back to it",
    );
    expect((await health(port)).body.version).toBe("v2");
  });

  it("rolls back automatically when the new release fails its health check, with the app's errors in the log", async () => {
    const servingPid = appPid(root);
    const result = await deployRelease(options(root, port, "v3", { broken: true, leakSecret: true }));
    expect(result).toMatchObject({ status: "rolled_back", version: "v3", previous: "v2" });
    expect(result.error).toContain("Release v3 exited during start-up");
    expect(result.error).toContain("Config problems:");
    expect(result.error).toContain("agents[0].id: is required");
    const healthFailed = result.log.find((s) => s.step === "health" && s.status === "failed");
    expect(healthFailed?.message).toContain("Config problems:");
    // The broken app printed a secret; it is blanked out everywhere the result goes.
    expect(healthFailed?.message).toContain("sessionSecret [redacted] is too short");
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(stepsOf(result.log).slice(-8)).toEqual([
      "health:failed",
      "rollback:running",
      "restart:running",
      "restart:succeeded",
      "health:running",
      "health:succeeded",
      "rollback:succeeded",
      "done:failed",
    ]);
    expect(readlinkSync(path.join(root, "current"))).toBe("releases/v2");
    expect(readlinkSync(path.join(root, "previous"))).toBe("releases/v1");
    expect((await health(port)).body.version).toBe("v2");
    expect(isRunning(servingPid)).toBe(false); // v2 was restarted, not left running beside v3
    expect(existsSync(path.join(root, "releases/v3/server.mjs"))).toBe(true); // kept for inspection
  });

  it("manual rollback goes to the previous release, and to a named one", async () => {
    const toPrevious = await rollback({ ssh: options(root, port, "x").ssh, root, port });
    expect(toPrevious.error).toBeUndefined();
    expect(toPrevious).toMatchObject({ status: "succeeded", version: "v1", previous: "v2" });
    expect((await health(port)).body.version).toBe("v1");
    expect(readlinkSync(path.join(root, "current"))).toBe("releases/v1");

    const named = await rollback({ ssh: options(root, port, "x").ssh, root, port, to: "v2" });
    expect(named).toMatchObject({ status: "succeeded", version: "v2", previous: "v1" });
    expect((await health(port)).body.version).toBe("v2");

    const missing = await rollback({ ssh: options(root, port, "x").ssh, root, port, to: "v9" });
    expect(missing.status).toBe("failed");
    expect(missing.error).toMatch(/^Release v9 is not on the server — it has /);
  });

  it("keeps at most keepReleases releases, never deleting current or previous", async () => {
    await deployRelease({ ...options(root, port, "v4"), keepReleases: 3 });
    const result = await deployRelease({ ...options(root, port, "v5"), keepReleases: 3 });
    expect(result.status).toBe("succeeded");
    const list = await listReleases({ ssh: options(root, port, "x").ssh, root });
    expect(list.current).toBe("v5");
    expect(list.previous).toBe("v4");
    expect(list.releases).toHaveLength(3);
    expect(list.releases.slice(0, 2)).toEqual(["v5", "v4"]);
  });
});

describe("deployRelease failures", () => {
  it("a broken first release (nothing to roll back to) is stopped and reported failed", async () => {
    const root = newRoot("broken-first");
    const result = await deployRelease(options(root, await freePort(), "b1", { broken: true }));
    expect(result).toMatchObject({ status: "failed", version: "b1", previous: null });
    expect(result.error).toContain("Config problems:");
    expect(existsSync(path.join(root, "current"))).toBe(false);
    expect(existsSync(path.join(root, "shared/app.pid"))).toBe(false);
    expect(existsSync(path.join(root, "releases/b1"))).toBe(true);
  });

  it("a key the server does not know gives a clear error", async () => {
    const result = await deployRelease({
      ...options(newRoot("stranger"), 3999, "k1"),
      ssh: { host: sshd.host, port: sshd.port, username: sshd.user, privateKey: sshd.strangerKey },
    });
    expect(result.status).toBe("failed");
    expect(result.error).toBe(
      `The server refused the SSH key for ${sshd.user}@127.0.0.1:${sshd.port} — check the key saved for this server`,
    );
    expect(stepsOf(result.log)).toEqual(["connect:running", "connect:failed", "done:failed"]);
  });

  it("reports the server's host key, and refuses a server whose key is not the pinned one", async () => {
    // What OpenSSH itself prints for the host key: "256 SHA256:… comment (ED25519)".
    const expected = execFileSync("ssh-keygen", ["-lf", path.join(sshd.dir, "host_key.pub")], { encoding: "utf8" }).split(" ")[1];
    const port = await freePort();
    const root = newRoot("pinned");
    const first = await deployRelease(options(root, port, "h1"));
    expect(first).toMatchObject({ status: "succeeded", hostKey: expected });
    const pinned = await deployRelease({ ...options(root, port, "h2"), ssh: { ...options(root, port, "h2").ssh, hostKey: expected } });
    expect(pinned.status).toBe("succeeded");

    const impostor = `SHA256:${"A".repeat(43)}`;
    const refused = await deployRelease({ ...options(root, port, "h3"), ssh: { ...options(root, port, "h3").ssh, hostKey: impostor } });
    expect(refused.status).toBe("failed");
    expect(refused.error).toBe(
      `The server at 127.0.0.1:${sshd.port} showed host key ${expected}, not the pinned ${impostor}. If the server was rebuilt, edit it on the Servers page and tick “Trust a new host key” (over the API: send its ssh access again); otherwise someone may be intercepting the connection`,
    );
    expect(stepsOf(refused.log)).toEqual(["connect:running", "connect:failed", "done:failed"]);
    expect(readdirSync(path.join(root, "releases")).sort()).toEqual(["h1", "h2"]);
  });

  it("a port where nothing listens gives a clear error", async () => {
    const closed = await freePort();
    const result = await deployRelease({
      ...options(newRoot("unreachable"), 3999, "k1"),
      ssh: { host: "127.0.0.1", port: closed, username: "x", privateKey: sshd.privateKey },
    });
    expect(result.error).toBe(`Could not reach 127.0.0.1:${closed} (ECONNREFUSED) — check the host and port`);
  });

  it.each(["../etc", "a b", "v1.partial", "", "x/y", "$(id)"])(
    "refuses the version %j before connecting",
    async (version) => {
      await expect(deployRelease(options(newRoot("invalid"), 3999, version))).rejects.toThrow(DeployError);
    },
  );

  it("a cancelled deployment changes nothing on the server", async () => {
    const root = newRoot("cancelled");
    const controller = new AbortController();
    controller.abort();
    const result = await deployRelease({ ...options(root, 3999, "c1"), signal: controller.signal });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/cancelled/);
    expect(existsSync(root)).toBe(false);
  });
});
