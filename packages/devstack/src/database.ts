// Provides both databases: the ones named by DATABASE_URL / AGENTS_DATABASE_URL, or an embedded
// PostgreSQL with its data under .data/. Migrations are applied either way.
import { startEmbeddedPostgres } from "@kayos/db/embedded";
import { migrateDatabase } from "@kayos/db/migrate";

export interface Databases {
  controlUrl: string;
  agentsUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface DatabaseOptions {
  controlUrl?: string;
  agentsUrl?: string;
  embeddedDir: string;
  embeddedPort: number;
  log?: (line: string) => void;
}

export async function provideDatabases(opts: DatabaseOptions): Promise<Databases> {
  let dbs: Databases;
  if (opts.controlUrl && opts.agentsUrl) {
    dbs = { controlUrl: opts.controlUrl, agentsUrl: opts.agentsUrl, embedded: false, stop: async () => {} };
  } else if (opts.controlUrl || opts.agentsUrl) {
    throw new Error("Set both DATABASE_URL and AGENTS_DATABASE_URL, or neither to use the embedded PostgreSQL.");
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: opts.embeddedDir, port: opts.embeddedPort });
    await pg.ensureDatabase("kayos");
    await pg.ensureDatabase("kayos_agents");
    dbs = { controlUrl: pg.url("kayos"), agentsUrl: pg.url("kayos_agents"), embedded: true, stop: () => pg.stop() };
  }
  try {
    const applied = [
      ...(await migrateDatabase("control", dbs.controlUrl)).map((m) => `control/${m}`),
      ...(await migrateDatabase("agents", dbs.agentsUrl)).map((m) => `agents/${m}`),
    ];
    if (applied.length > 0) opts.log?.(`applied migrations: ${applied.join(", ")}`);
  } catch (error) {
    await dbs.stop();
    throw error;
  }
  return dbs;
}
