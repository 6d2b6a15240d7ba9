// Ends every process of a session: the session leader's whole POSIX session, its descendants, and
// processes that left both (`setsid` re-parents to init) but still carry the session's
// SMITH_SESSION_ID in their environment — with SIGINT, then SIGTERM, then SIGKILL.
import fs from "node:fs";

interface Proc {
  pid: number;
  ppid: number;
  sid: number;
  state: string;
}

function readProcs(): Proc[] {
  const procs: Proc[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      procs.push({ pid: Number(name), state: fields[0]!, ppid: Number(fields[1]), sid: Number(fields[3]) });
    } catch {
      // exited while we looked
    }
  }
  return procs;
}

/** Whether a process started with `marker` in its environment (a recycled pid does not). */
export function carries(pid: number, marker: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`).includes(marker);
  } catch {
    return false;
  }
}

export const sessionMarker = (sessionId: string) => `\0SMITH_SESSION_ID=${sessionId}\0`;

/** The live (non-zombie) processes of a session: its POSIX session, descendants, and marked ones. */
export function processTree(root: number, marker?: string): number[] {
  const procs = readProcs();
  const found = new Set<number>();
  for (const p of procs) if (p.pid === root || p.sid === root || (marker && p.pid !== process.pid && carries(p.pid, marker))) found.add(p.pid);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return procs.filter((p) => found.has(p.pid) && p.state !== "Z").map((p) => p.pid);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signalAll(pids: number[], signal: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Sends each signal in turn until nothing of the tree is left; resolves with the pids it saw. */
export async function endProcessTree(root: number, marker?: string, graceMs = { int: 300, term: 1000 }): Promise<number[]> {
  const seen = new Set<number>(processTree(root, marker));
  // Processes seen once stay targets even after their parent died and they were re-parented.
  const live = () => {
    for (const pid of processTree(root, marker)) seen.add(pid);
    return [...seen].filter(isAlive);
  };
  for (const [signal, wait] of [["SIGINT", graceMs.int], ["SIGTERM", graceMs.term], ["SIGKILL", 2000]] as const) {
    const pids = live();
    if (pids.length === 0) break;
    signalAll(pids, signal);
    const until = Date.now() + wait;
    while (Date.now() < until && live().length > 0) await sleep(25);
  }
  return [...seen];
}

/** Whether a pid still exists as a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
