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
  it("kills a session's keeper, never a pid that is no longer that session's", async () => {
    const ours = await keeper("s-ours", true);
    const other = await keeper("s-recycled", false); // keeper.pid names a process without the session's marker
    endKeptSessions(dir);
    expect(await ours.exited).toBe("SIGKILL");
    expect(alive(other.pid)).toBe(true);
  });
});
