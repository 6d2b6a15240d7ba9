// `npm run dev` as a newcomer runs it: everything comes up healthy, the login is printed, and
// Ctrl-C (SIGINT) stops every process, the database included.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../env";
import { assertPortFree, freePort } from "../ports";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function ports() {
  return {
    WEB_PORT: String(await freePort()),
    NEXUS_PORT: String(await freePort()),
    SMITH_PORT: String(await freePort()),
    OBSERVER_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    MESSAGES_SERVER_PORT: String(await freePort()),
  };
}

function runDev(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-dev-"));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "packages/devstack/src/cli/dev.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      EMBEDDED_PG_DIR: path.join(dir, "pg"),
      WORKSPACE_ROOT: path.join(dir, "workspaces"),
      SMITH_DATA_DIR: path.join(dir, "smith"),
      NEXUS_DATA_DIR: path.join(dir, "nexus"),
      OBSERVER_SNAPSHOT_DIR: path.join(dir, "snapshots"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const waitFor = async (pattern: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${output}`);
      if (child.exitCode !== null) throw new Error(`dev exited early (${child.exitCode}); output:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

describe("npm run dev", () => {
  it("starts everything healthy, prints the URLs and demo login, and Ctrl-C stops it all", async () => {
    const p = await ports();
    const dev = runDev({ ...p, DEMO_EMAIL: "newcomer@kayos.local", DEMO_PASSWORD: "newcomer-password" });
    await dev.waitFor(/KayOS is up/, 150_000);
    expect(dev.output()).toContain("Sign in as       newcomer@kayos.local / newcomer-password");
    expect(dev.output()).toContain(`Web              http://localhost:${p.WEB_PORT}`);
    expect(dev.output()).toContain(`Claude           OFFLINE: local Messages API server at http://127.0.0.1:${p.MESSAGES_SERVER_PORT}`);
    // The offline Claude answers like the Messages API, so the agent services work without a key.
    const offline = await fetch(`http://127.0.0.1:${p.MESSAGES_SERVER_PORT}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "any", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(((await offline.json()) as { content: { text: string }[] }).content[0]?.text).toMatch(/^\[offline\]/);
    expect(await (await fetch(`http://127.0.0.1:${p.WEB_PORT}/api/v1/health`)).json()).toEqual({ status: "ok" });
    for (const [service, port] of [["nexus", p.NEXUS_PORT], ["smith", p.SMITH_PORT], ["observer", p.OBSERVER_PORT]]) {
      expect(await (await fetch(`http://127.0.0.1:${port}/health`)).json()).toMatchObject({ status: "healthy", service });
    }
    const login = await fetch(`http://127.0.0.1:${p.WEB_PORT}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "newcomer@kayos.local", password: "newcomer-password" }),
    });
    expect(login.status).toBe(200);

    dev.child.kill("SIGINT");
    expect(await dev.exited).toBe(0);
    expect(dev.output()).toContain("stopped");
    // Every port is free again: web, agent services and the embedded PostgreSQL all stopped.
    for (const [variable, port] of Object.entries(p)) await assertPortFree(Number(port), variable);
  }, 200_000);

  it("refuses a port in use, naming the port and the variable that moves it", async () => {
    const p = await ports();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(Number(p.SMITH_PORT), "127.0.0.1", r));
    try {
      const dev = runDev(p);
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toContain(`Port ${p.SMITH_PORT} is already in use`);
      expect(dev.output()).toContain("set SMITH_PORT to another port");
    } finally {
      blocker.close();
    }
  }, 60_000);
});
