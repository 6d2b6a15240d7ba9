// Starts the built release as a customer's server runs it: server.mjs copied to a folder with no
// node_modules anywhere above it, plain `node`, files given by environment variables.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@kayos/devstack/ports";
import { afterAll } from "vitest";

export const RELEASE_DIR = fileURLToPath(new URL("../dist/release", import.meta.url));

const copies: string[] = [];
afterAll(() => {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A copy of dist/release under the OS temp folder, checked to have no node_modules on its way up. */
export function copyRelease(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "kayos-cc-release-"));
  copies.push(root);
  const dir = path.join(root, "releases", "v1");
  cpSync(RELEASE_DIR, dir, { recursive: true });
  for (let p = dir; ; p = path.dirname(p)) {
    if (existsSync(path.join(p, "node_modules"))) throw new Error(`${p} has node_modules: the test would not prove the bundle is self-contained`);
    if (path.dirname(p) === p) break;
  }
  return dir;
}

export interface Started {
  child: ChildProcess;
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

function exited(child: ChildProcess) {
  return new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

/** Runs `node server.mjs` until it exits, with a bound; returns its exit code and output. */
export async function runToExit(dir: string, env: Record<string, string>, timeoutMs = 10_000) {
  const child = spawn(process.execPath, ["server.mjs"], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await exited(child);
  clearTimeout(timer);
  return { code, output };
}

export async function startRelease(dir: string, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ["server.mjs"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited(child);
    clearTimeout(timer);
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server.mjs exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) return { child, base, output: () => output, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`server.mjs did not answer /health within 10 s:\n${output}`);
}
