// Shared setup of the observer benchmarks: a PostgreSQL (BENCH_DATABASE_URL's server, or an embedded
// one in a temporary folder), a freshly migrated agents database with one API key, and the observer
// started as a child process so the load generator does not share its event loop.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "@kayos/db/embedded";
import { migrateDatabase } from "@kayos/db/migrate";
import { hashToken } from "@kayos/db/secrets";
import { freePort } from "@kayos/devstack/ports";
import pg from "pg";

export const KEY = "kay_bench_observer_key_0123456789";
const here = path.dirname(fileURLToPath(import.meta.url));

export async function benchDatabase(name: string) {
  let admin = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  if (!admin) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-bench-pg-"));
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port: await freePort() });
    admin = server.url("postgres");
    stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  await migrateDatabase("agents", url.toString());
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query(`INSERT INTO api_keys (id, organization_id, name, prefix, key_hash) VALUES ('k1', 'org_bench', 'bench', 'kay_bench', $1)`, [hashToken(KEY)]);
  await db.end();
  return { url: url.toString(), stop };
}

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
