// Applies the committed migrations (prisma/<kind>/migrations/*/migration.sql, Prisma's layout) and
// records them in `_prisma_migrations` exactly as `prisma migrate deploy` does, so either tool can
// take over. Ours runs in-process in ~100 ms, where the CLI's JS engine takes ~11 s to exit.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export type DatabaseKind = "control" | "agents";

export const urlVariable: Record<DatabaseKind, string> = { control: "DATABASE_URL", agents: "AGENTS_DATABASE_URL" };

export const prismaDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "prisma");

const LOCK_ID = 72707369; // the advisory lock key Prisma's migrate uses

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(kind: DatabaseKind): Migration[] {
  const dir = path.join(prismaDir, kind, "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Applies pending migrations; returns the names applied. Refuses edited or failed migrations. */
export async function migrateDatabase(kind: DatabaseKind, databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r]));
    const done: string[] = [];
    for (const m of listMigrations(kind)) {
      const row = applied.get(m.name);
      if (row && !row.finished_at) {
        throw new Error(`Migration ${m.name} (${kind}) failed earlier and needs manual resolution.`);
      }
      if (row && row.checksum !== m.checksum) {
        throw new Error(`Migration ${m.name} (${kind}) was edited after it was applied; add a new migration instead.`);
      }
      if (row) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${m.name} (${kind}) failed: ${(error as Error).message}`);
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
