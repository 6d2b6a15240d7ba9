import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgPool } from "./pg-pool";

let url: string;
beforeAll(async () => {
  url = await createTestDatabase("empty");
});
afterAll(() => dropTestDatabase(url));

describe("createPgPool", () => {
  it("survives PostgreSQL closing an idle connection and serves the next query on a new one", async () => {
    const pool = createPgPool({ connectionString: url, max: 1 });
    const first = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1)", [first.rows[0]?.pid]);
    await admin.end();
    await new Promise((r) => setTimeout(r, 200)); // the idle client's 'error' arrives here
    const second = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    expect(second.rows[0]?.pid).not.toBe(first.rows[0]?.pid);
    await pool.end();
  });
});
