// The benchmarks' database: BENCH_DATABASE_URL's server, or an embedded PostgreSQL in a temporary
// folder, with a freshly migrated agents database holding one API key for organization org_bench.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@kayos/db/embedded";
import { migrateDatabase } from "@kayos/db/migrate";
import { hashToken } from "@kayos/db/secrets";
import { freePort } from "@kayos/devstack/ports";
import pg from "pg";

/** `dataDir` is a temporary folder the caller may use too; `stop` removes it. */
export async function benchDatabase(name: string, apiKey: string) {
  let admin = process.env.BENCH_DATABASE_URL;
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-bench-"));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the "postgres" user, which must reach the folder
  let stop = async () => rmSync(dir, { recursive: true, force: true });
  if (!admin) {
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
  await db.query(
    `INSERT INTO api_keys (id, organization_id, name, prefix, key_hash) VALUES ('k1', 'org_bench', 'bench', 'kay_bench', $1)`,
    [hashToken(apiKey)],
  );
  await db.end();
  return { url: url.toString(), dataDir: dir, stop };
}
