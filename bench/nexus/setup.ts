// The Nexus benchmark's world: an embedded PostgreSQL (or BENCH_DATABASE_URL's server) with a
// migrated agents database and one key, the local Messages server and Nexus, each in its own
// process so the load generator does not share their event loops.
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

export const KEY = "kay_bench_nexus_key_0123456789";
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");

export async function benchDatabase(name: string) {
  let admin = process.env.BENCH_DATABASE_URL;
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-bench-nexus-"));
  let stop = async () => rmSync(dir, { recursive: true, force: true });
  if (!admin) {
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
  return { url: url.toString(), dataDir: dir, stop };
}

function startChild(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(env.NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes(ready)) resolve(child);
    });
  });
}

export async function startMessagesProcess(deltaDelayMs: number) {
  const port = await freePort();
  const child = await startChild(
    ["packages/messages-server/src/cli.ts", "--port", String(port), "--delta-delay-ms", String(deltaDelayMs), "--quiet"],
    {},
    "listening",
  );
  return { url: `http://127.0.0.1:${port}`, child };
}

export async function startNexusProcess(databaseUrl: string, messagesUrl: string, dataDir: string) {
  const port = await freePort();
  const child = await startChild([path.join(here, "server.ts")], {
    AGENTS_DATABASE_URL: databaseUrl,
    NEXUS_PORT: String(port),
    ANTHROPIC_BASE_URL: messagesUrl,
    ANTHROPIC_API_KEY: "offline",
    NEXUS_DATA_DIR: dataDir,
    CODINGOBSERVER_URL: "",
    LOG_LEVEL: "warn",
    NODE_ARGS: process.env.NEXUS_NODE_ARGS ?? "",
  }, "listening");
  return { base: `http://127.0.0.1:${port}`, child };
}
