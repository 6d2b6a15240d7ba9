// Vitest global setup: one PostgreSQL for the whole run (TEST_DATABASE_URL's server, or an embedded
// one in a temporary folder), with template databases migrated once for cheap per-file clones.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@kayos/db/embedded";
import { migrateDatabase } from "@kayos/db/migrate";
import pg from "pg";
import { freePort } from "../ports";
import { TEMPLATE, TEST_PG_ENV } from "./databases";

export default async function setup() {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let teardown = async () => {};
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-test-pg-"));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as the "postgres" user, which must reach the folder
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port: await freePort() });
    adminUrl = server.url("postgres");
    teardown = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const [kind, name] of Object.entries(TEMPLATE) as [keyof typeof TEMPLATE, string][]) {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await migrateDatabase(kind, url.toString());
  }
  await admin.end();
  process.env[TEST_PG_ENV] = adminUrl;
  return teardown;
}
