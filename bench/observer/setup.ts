// Shared setup of the observer benchmarks: a PostgreSQL (BENCH_DATABASE_URL's server, or an embedded
// one in a temporary folder), a freshly migrated agents database with one API key, and the observer
// started as a child process so the load generator does not share its event loop.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@kayos/devstack/ports";
import { benchDatabase as sharedBenchDatabase } from "../shared/database";

export const KEY = "kay_bench_observer_key_0123456789";
const here = path.dirname(fileURLToPath(import.meta.url));

export const benchDatabase = (name: string) => sharedBenchDatabase(name, KEY);

/** Starts the observer alone in a child process; resolves with its base URL. */
export async function startObserverProcess(databaseUrl: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", path.join(here, "server.ts")], {
    env: { ...process.env, AGENTS_DATABASE_URL: databaseUrl, OBSERVER_PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`observer exited with ${code}`)));
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("listening")) resolve();
    });
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
