// Smith's script(1)-kept sessions outlive their Smith by design: stacks that tests or benchmarks start
// end the ones they leave behind, passed or failed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Kills every process of each session a Smith data folder lists: script, the program and whatever it
 * started, found by the session's marker in their environment (SMITH_SESSION_ID), never by a recorded
 * pid that may be another program's by now.
 */
export function endKeptSessions(smithDataDir: string) {
  const sessions = path.join(smithDataDir, "sessions");
  const markers = (existsSync(sessions) ? readdirSync(sessions) : []).map((id) => Buffer.from(`SMITH_SESSION_ID=${id}\0`));
  if (markers.length === 0) return;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${name}/environ`);
    } catch {
      continue; // exited while we looked, or not ours to read
    }
    // The variable first, or after another one (not the end of a longer name).
    if (!markers.some((m) => environ.indexOf(m) === 0 || environ.includes(Buffer.concat([Buffer.from([0]), m])))) continue;
    try {
      process.kill(Number(name), "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
}
