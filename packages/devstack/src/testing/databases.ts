// Fresh databases for integration tests, cloned from the migrated templates of the global setup.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const TEST_PG_ENV = "KAYOS_TEST_PG_URL";
export const TEMPLATE = { control: "kayos_template_control", agents: "kayos_template_agents" } as const;

export function testServerUrl(database = "postgres"): string {
  const base = process.env[TEST_PG_ENV];
  if (!base) throw new Error(`${TEST_PG_ENV} is not set: run tests through the root vitest config`);
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a database: a migrated clone of a template, or empty. Returns its URL. */
export async function createTestDatabase(from: keyof typeof TEMPLATE | "empty"): Promise<string> {
  const name = `kayos_test_${from}_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(from === "empty" ? `CREATE DATABASE "${name}"` : `CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE[from]}"`));
  return testServerUrl(name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
