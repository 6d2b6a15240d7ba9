// The services' raw `pg` pools (hot paths that bypass Prisma). An idle client whose connection
// drops (PostgreSQL restarting, or stopping before us on Ctrl-C) emits 'error' on the pool; without a
// listener that would crash the whole process. pg already discards the client; we only note it.
import pg from "pg";

export type Pool = pg.Pool;

export function createPgPool(config: pg.PoolConfig): Pool {
  const pool = new pg.Pool({ idleTimeoutMillis: 10_000, ...config });
  pool.on("error", (error) => {
    process.stderr.write(`postgres: an idle connection was closed (${error.message}); it will be replaced\n`);
  });
  return pool;
}

/** Runs `work` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
