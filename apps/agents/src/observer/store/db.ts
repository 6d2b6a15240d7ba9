// The observer's PostgreSQL pool. Hot paths (bulk ingest, metrics) use SQL through `pg` directly;
// the tables are the Prisma-managed ones in packages/db/prisma/agents/schema.prisma.
import pg from "pg";
import { createPgPool, type Pool } from "../../shared/pg-pool";

export type { Pool };

// BIGINT and NUMERIC sums arrive as strings by default; token counts fit a double exactly up to 2^53.
// Set on this pool only: pg's global parsers are shared with Prisma's adapter in the same process.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function createPool(url: string, max = 8): Pool {
  return createPgPool({ connectionString: url, max, types });
}
