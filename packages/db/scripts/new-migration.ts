// Writes the SQL that takes the database from the last migration to the current schema:
// `npm run migration:new -w @kayos/db -- <control|agents> <name>`. Each migration folder keeps a
// copy of the schema it produces (schema.prisma, ignored by the runners), so the difference is
// computed between two datamodels — the only form Prisma's JS schema engine supports offline.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../src/embedded";
import { prismaDir, urlVariable } from "../src/migrate";
import { offlineEngineEnv } from "../src/prisma-offline";

const [kind, name] = process.argv.slice(2);
if ((kind !== "control" && kind !== "agents") || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run migration:new -w @kayos/db -- <control|agents> <snake_case_name>");
  process.exit(2);
}

const migrations = path.join(prismaDir, kind, "migrations");
const schema = path.join(prismaDir, kind, "schema.prisma");
const latest = readdirSync(migrations, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()
  .at(-1);
const from = latest ? path.join(migrations, latest, "schema.prisma") : null;
if (from && !existsSync(from)) throw new Error(`${latest} has no schema.prisma copy to diff from`);

// The engine connects through the adapter even to compare two datamodels: give it a scratch server.
const port = await new Promise<number>((resolve) => {
  const probe = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as net.AddressInfo;
    probe.close(() => resolve(port));
  });
});
const scratch = mkdtempSync(path.join(os.tmpdir(), "kayos-migration-"));
chmodSync(scratch, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(scratch, "data"), port });
await pg.ensureDatabase("scratch");

const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
const result = spawnSync(
  process.execPath,
  [
    cli,
    "migrate",
    "diff",
    ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]),
    "--to-schema-datamodel",
    schema,
    "--script",
    "--config",
    path.join(prismaDir, kind, "prisma.config.ts"),
  ],
  {
    env: { ...process.env, ...offlineEngineEnv(), [urlVariable[kind]]: pg.url("scratch"), CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  },
);
await pg.stop();
rmSync(scratch, { recursive: true, force: true });
if (result.status !== 0) throw new Error(result.stderr || result.stdout);
const sql = result.stdout.trim();
if (!sql || sql === "-- This is an empty migration.") {
  console.log("The schema matches the last migration: nothing to write.");
} else {
  // A 14-digit prefix keeps folders in apply order; a given prefix (e.g. 20261124100000_x) is kept.
  const folderName = /^\d{14}_/.test(name) ? name : `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${name}`;
  const folder = path.join(migrations, folderName);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "migration.sql"), `${sql}\n`);
  copyFileSync(schema, path.join(folder, "schema.prisma"));
  console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql — review it, then npm run generate -w @kayos/db`);
}
