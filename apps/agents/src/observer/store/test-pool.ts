// The database of a store test file: a fresh agents database and a pool on it, for tests that need
// no running Observer (startObserver in ../test-helpers.ts builds the whole service).
import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import { afterAll, beforeAll } from "vitest";
import { createPool, type Pool } from "./db";

/** Creates the database before the file's tests and drops it after them; call the result inside a test. */
export function storeTestPool(): () => Pool {
  let url = "";
  let pool: Pool | undefined;
  beforeAll(async () => {
    url = await createTestDatabase("agents");
    pool = createPool(url, 2);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    if (url) await dropTestDatabase(url);
  });
  return () => {
    if (!pool) throw new Error("the store's test database is made in beforeAll: use it inside a test");
    return pool;
  };
}
