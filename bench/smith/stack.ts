// A throwaway stack for the Smith benchmarks: embedded PostgreSQL (migrated), an API key, and
// Smith as its own process (so its peak RSS is its own), stopped and removed afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { agentsDb } from "@kayos/db/agents";
import { startEmbeddedPostgres } from "@kayos/db/embedded";
import { migrateDatabase } from "@kayos/db/migrate";
import { hashToken } from "@kayos/db/secrets";
import { freePort } from "@kayos/devstack";
import { endKeptSessions } from "@kayos/devstack/testing/script-sessions";

export const KEY = "kay_bench_smith_key_0123456789";
const repo = path.resolve(import.meta.dirname, "..", "..");

export interface SmithProcess {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startStack() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smith-bench-"));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
  await pg.ensureDatabase("agents");
  const url = pg.url("agents");
  await migrateDatabase("agents", url);
  const db = agentsDb(url);
  await db.apiKey.create({ data: { organizationId: "org_bench", name: "bench", prefix: "kay_bench", keyHash: hashToken(KEY) } });
  await db.$disconnect();

  const procs: ChildProcess[] = [];
  async function startSmith(keeper: "pty" | "script" | "tmux"): Promise<SmithProcess> {
    const port = await freePort();
    // node itself (with tsx's loader), not the tsx CLI: the CLI's extra process would outlive a kill.
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path.join(repo, "apps", "agents", "src", "main.ts"), "smith"], {
      cwd: repo,
      env: {
        ...process.env,
        AGENTS_DATABASE_URL: url,
        SMITH_PORT: String(port),
        SMITH_KEEPER: keeper,
        WORKSPACE_ROOT: path.join(dir, "workspaces"),
        SMITH_DATA_DIR: path.join(dir, `data-${keeper}`),
        TMUX_SOCKET_PATH: path.join(dir, `tmux-${keeper}.sock`),
        LOG_LEVEL: "warn",
        CODINGOBSERVER_URL: "",
        SMITH_MAX_SESSIONS_PER_ORG: "1000",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    procs.push(child);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return {
      base,
      pid: child.pid!,
      stop: () =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    };
  }

  return {
    dir,
    startSmith,
    async stop() {
      for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
      for (const keeper of ["pty", "script", "tmux"]) {
        spawn("tmux", ["-S", path.join(dir, `tmux-${keeper}.sock`), "kill-server"], { stdio: "ignore" });
      }
      // script(1) sessions outlive their Smith by design: end any a failed run left behind.
      endKeptSessions(path.join(dir, "data-script"));
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createSession(base: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${base}/api/v1/sessions/create`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id?: string; message?: string };
  if (!json.id) throw new Error(`create failed: ${res.status} ${json.message}`);
  return json.id;
}

/** Peak resident memory (VmHWM) of a process, in MB. */
export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}
