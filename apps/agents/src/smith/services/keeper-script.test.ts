import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ScriptKeeper } from "./keeper-script";
import { OutputLog } from "./output-log";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A session folder as an earlier Smith left it, its keeper.pid naming `pid`. */
function leftBehind(pid: number, exitCode?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smith-script-keeper-"));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "output.log"), "printed\r\n");
  fs.writeFileSync(path.join(dir, "keeper.pid"), String(pid));
  if (exitCode !== undefined) fs.writeFileSync(path.join(dir, "exit-code"), exitCode);
  return OutputLog.open(path.join(dir, "output.log"));
}

describe("script keeper re-adoption", () => {
  it("does not take a pid the kernel has given to another program for the session's script", async () => {
    // This test's own process is alive but carries no session marker: the session's script is gone.
    const gone = leftBehind(process.pid);
    expect(ScriptKeeper.adopt("sess_gone", gone)).toBeNull();
    gone.close();
    // Gone after recording its exit code: finished with that code, not waited on forever.
    const ended = leftBehind(process.pid, "5");
    const keeper = ScriptKeeper.adopt("sess_ended", ended);
    expect(keeper).not.toBeNull();
    const exit = await new Promise((resolve) => keeper!.onExit(resolve));
    expect(exit).toEqual({ exitCode: 5, signal: null });
    expect(ended.size).toBe("printed\r\n".length);
    keeper!.detach();
  });
});
