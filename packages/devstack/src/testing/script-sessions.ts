// Smith's script(1)-kept sessions outlive their Smith by design: stacks that tests or benchmarks start
// end the ones a failed run left behind.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Kills each script(1) keeper a Smith data folder lists (its program gets SIGHUP as the PTY closes),
 * only while the recorded pid is still that session's script: it carries the session's marker.
 */
export function endKeptSessions(smithDataDir: string) {
  const sessions = path.join(smithDataDir, "sessions");
  for (const id of existsSync(sessions) ? readdirSync(sessions) : []) {
    const pidFile = path.join(sessions, id, "keeper.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : NaN;
    const environ = `/proc/${pid}/environ`;
    if (Number.isInteger(pid) && existsSync(environ) && readFileSync(environ).includes(`SMITH_SESSION_ID=${id}\0`)) process.kill(pid, "SIGKILL");
  }
}
