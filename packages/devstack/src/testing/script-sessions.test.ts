import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { endKeptSessions } from "./script-sessions";

const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-kept-"));
const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A process standing in for a session's script: `sleep`, with or without the session's marker. */
async function keeper(id: string, marked: boolean) {
  const child = spawn("sleep", ["300"], { env: marked ? { ...process.env, SMITH_SESSION_ID: id } : { ...process.env }, stdio: "ignore" });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  await once(child, "spawn");
  started.push(child.pid!);
  mkdirSync(path.join(dir, "sessions", id), { recursive: true });
  writeFileSync(path.join(dir, "sessions", id, "keeper.pid"), String(child.pid));
  return { pid: child.pid!, exited };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("ending script-kept sessions left behind", () => {
  it("kills every process carrying a listed session's marker, and no process without it", async () => {
    const ours = await keeper("s-ours", true);
    // A program of that session started on its own (setsid): not the recorded pid, but it carries the marker.
    const detachedChild = spawn("sleep", ["300"], { env: { ...process.env, SMITH_SESSION_ID: "s-ours" }, stdio: "ignore" });
    const childExited = new Promise<NodeJS.Signals | null>((resolve) => detachedChild.once("exit", (_code, signal) => resolve(signal)));
    await once(detachedChild, "spawn");
    started.push(detachedChild.pid!);
    // keeper.pid names a process without the session's marker (a recycled pid), and one with a longer name's.
    const other = await keeper("s-recycled", false);
    const lookalike = spawn("sleep", ["300"], { env: { ...process.env, NOT_SMITH_SESSION_ID: "s-ours" }, stdio: "ignore" });
    await once(lookalike, "spawn");
    started.push(lookalike.pid!);
    endKeptSessions(dir);
    expect(await ours.exited).toBe("SIGKILL");
    expect(await childExited).toBe("SIGKILL");
    expect(alive(other.pid)).toBe(true);
    expect(alive(lookalike.pid!)).toBe(true);
  });
});
