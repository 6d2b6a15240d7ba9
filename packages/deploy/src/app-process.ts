// Stops and starts the app on the server. The pid file names the running app; it is trusted only
// while that pid is alive and runs server.mjs, since pids are reused after a reboot.
import { DeployError } from "./errors";
import { quote, type Layout } from "./remote-shell";
import type { SshSession } from "./ssh-session";

const STOP_WAIT_TENTHS = 100; // SIGTERM gets 10 s before SIGKILL

/** Shell functions: alive (a zombie is dead: an init that does not reap would keep it forever), ours. */
export const PROCESS_FUNCTIONS = [
  `alive() { kill -0 "$1" 2>/dev/null || return 1; [ -r "/proc/$1/stat" ] || return 0; [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]; }`,
  `ours() { [ -r "/proc/$1/cmdline" ] || return 0; tr '\\0' ' ' < "/proc/$1/cmdline" | grep -q 'server\\.mjs'; }`,
].join("\n");

export type StopOutcome = { kind: "none" } | { kind: "stale" } | { kind: "stopped" | "killed"; pid: number };

export async function stopApp(session: SshSession, layout: Layout): Promise<StopOutcome> {
  const script = [
    PROCESS_FUNCTIONS,
    `pidfile=${quote(layout.pidFile)}`,
    `[ -f "$pidfile" ] || { echo none; exit 0; }`,
    `pid=$(tr -cd '0-9' < "$pidfile")`,
    `if [ -z "$pid" ] || ! alive "$pid" || ! ours "$pid"; then rm -f "$pidfile"; echo stale; exit 0; fi`,
    `kill -TERM "$pid" 2>/dev/null`,
    `i=0; while alive "$pid" && [ "$i" -lt ${STOP_WAIT_TENTHS} ]; do sleep 0.1; i=$((i+1)); done`,
    `how=stopped`,
    `if alive "$pid"; then kill -KILL "$pid" 2>/dev/null; how=killed; i=0; while alive "$pid" && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i+1)); done; fi`,
    `alive "$pid" && { echo "still-running $pid"; exit 4; }`,
    `rm -f "$pidfile"; echo "$how $pid"`,
  ].join("\n");
  const result = await session.exec(script, { label: "Stopping the running app", timeoutMs: 30_000 });
  const [kind = "", pid = ""] = result.stdout.trim().split(/\s+/);
  if (result.code === 4)
    throw new DeployError(`The running app (pid ${pid}) did not stop even after SIGKILL — check the server`, "restart");
  if (result.code !== 0)
    throw new DeployError(
      `Could not stop the running app: ${result.stderr.trim() || `exit ${result.code}`}`,
      "restart",
    );
  if (kind === "stopped" || kind === "killed") return { kind, pid: Number(pid) };
  return { kind: kind === "stale" ? "stale" : "none" };
}

// Exits 0 when nothing listens on the port, 1 when something does.
const PORT_FREE = `const s=require("net").connect(Number(process.argv[1]),"127.0.0.1");s.setTimeout(1000);s.on("connect",()=>process.exit(1));s.on("error",()=>process.exit(0));s.on("timeout",()=>process.exit(0));`;

/** Starts the release detached (setsid + nohup, all stdio redirected) so it outlives the SSH session. */
export async function startApp(
  session: SshSession,
  layout: Layout,
  opts: { version: string; port: number; nodePath: string },
): Promise<number> {
  const node = quote(opts.nodePath);
  const script = [
    `cd ${quote(layout.release(opts.version))} || exit 3`,
    `mkdir -p ${quote(layout.data)}`,
    `${node} -e ${quote(PORT_FREE)} ${opts.port} || exit 5`,
    `printf '%s\\n' "--- $(date -u +%Y-%m-%dT%H:%M:%SZ) starting release ${opts.version} on port ${opts.port} ---" >> ${quote(layout.appLog)}`,
    `launcher=; command -v setsid >/dev/null 2>&1 && launcher=setsid`,
    `PORT=${opts.port} NODE_ENV=production $launcher nohup ${node} server.mjs >> ${quote(layout.appLog)} 2>&1 < /dev/null &`,
    `echo $! > ${quote(layout.pidFile)}`,
    `echo $!`,
  ].join("\n");
  const result = await session.exec(script, { label: "Starting the app", timeoutMs: 15_000 });
  if (result.code === 3) throw new DeployError(`Release ${opts.version} is missing on the server`, "restart");
  if (result.code === 5)
    throw new DeployError(
      `Port ${opts.port} is already in use on the server by another program — stop it or choose another port in the Command Center settings`,
      "restart",
    );
  if (result.code === 127)
    throw new DeployError(
      `Node.js was not found on the server as "${opts.nodePath}" — install Node.js 20+ or set its full path`,
      "restart",
    );
  const pid = Number(result.stdout.trim().split("\n").pop());
  if (result.code !== 0 || !Number.isInteger(pid) || pid <= 0)
    throw new DeployError(`Could not start the app: ${result.stderr.trim() || `exit ${result.code}`}`, "restart");
  return pid;
}

export async function tailAppLog(session: SshSession, layout: Layout, lines = 20): Promise<string> {
  const result = await session
    .exec(`tail -n ${lines} ${quote(layout.appLog)} 2>/dev/null`, { label: "Reading app.log", timeoutMs: 10_000 })
    .catch(() => null);
  return result?.stdout.trimEnd() ?? "";
}
