import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { listMigrations, migrateDatabase, prismaDir, type DatabaseKind } from "./migrate";

const created: string[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map(dropTestDatabase));
});

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const tables = (url: string) =>
  query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1").then((r) =>
    r.map((row: { table_name: string }) => row.table_name),
  );

describe.each<[DatabaseKind, string[]]>([
  ["control", ["organizations", "users", "memberships", "authorization_rules", "customer_servers", "agents", "agent_runs", "coding_conversations", "messages", "api_tokens", "audit_events"]],
  ["agents", ["api_keys", "nexus_agents", "conversations", "conversation_messages", "kaygraph_definitions", "executions", "smith_sessions", "log_entries", "snapshots", "metrics"]],
])("%s migrations", (kind, expected) => {
  it("apply to an empty database, creating every table and recording each migration as Prisma does", async () => {
    const url = await createTestDatabase("empty");
    created.push(url);
    const applied = await migrateDatabase(kind, url);
    expect(applied).toEqual(listMigrations(kind).map((m) => m.name));
    expect(await tables(url)).toEqual(expect.arrayContaining([...expected, "_prisma_migrations"]));
    const rows = await query(url, `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`);
    expect(rows).toHaveLength(applied.length);
    expect(rows[0]).toMatchObject({ migration_name: applied[0], checksum: listMigrations(kind)[0]?.checksum });
  });

  it("apply nothing the second time", async () => {
    const url = await createTestDatabase("empty");
    created.push(url);
    await migrateDatabase(kind, url);
    expect(await migrateDatabase(kind, url)).toEqual([]);
  });

  it("refuse a migration edited after it was applied", async () => {
    const url = await createTestDatabase("empty");
    created.push(url);
    await migrateDatabase(kind, url);
    await query(url, `UPDATE "_prisma_migrations" SET checksum = 'edited'`);
    await expect(migrateDatabase(kind, url)).rejects.toThrow(/was edited after it was applied/);
  });
});

describe.each<DatabaseKind>(["control", "agents"])("%s schema", (kind) => {
  it("has a migration for every change: the latest migration's schema copy equals the schema", () => {
    const migrations = path.join(prismaDir, kind, "migrations");
    const latest = listMigrations(kind).at(-1)?.name ?? "";
    const copy = readFileSync(path.join(migrations, latest, "schema.prisma"), "utf8");
    expect(copy, `run npm run migration:new -w @kayos/db -- ${kind} <name>`).toBe(
      readFileSync(path.join(prismaDir, kind, "schema.prisma"), "utf8"),
    );
  });
});
