import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEV_SECRET_NAMES, LEGACY_ENCRYPTION_KEY, devSecretsFile } from "./dev-secrets";
import { stackEnv } from "./env";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function install() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-dev-secrets-"));
  dirs.push(dir);
  return { EMBEDDED_PG_DIR: path.join(dir, "postgres"), NODE_ENV: "development" } as NodeJS.ProcessEnv;
}

const secretsOf = (env: ReturnType<typeof stackEnv>) => ({
  AUTH_SECRET: env.AUTH_SECRET,
  ENCRYPTION_KEY: env.ENCRYPTION_KEY,
  AGENTS_API_KEY: env.AGENTS_API_KEY,
  SMITH_REPORTER_SECRET: env.SMITH_REPORTER_SECRET,
  DEMO_PASSWORD: env.DEMO_PASSWORD,
});

describe("per-install development secrets", () => {
  it("are made at random on first start, kept 0600 beside the database folder, and the same next time", () => {
    const a = install();
    const first = secretsOf(stackEnv(a));
    const file = devSecretsFile(a.EMBEDDED_PG_DIR!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(first);
    expect(secretsOf(stackEnv(a))).toEqual(first);
    // Nothing any other install shares: not the old literals, not another install's values.
    expect(Object.values(first)).not.toContain("kay_dev_local_agents_key_0000000000");
    expect(Object.values(first)).not.toContain("kayos-demo-2026");
    expect(first.ENCRYPTION_KEY).not.toBe(LEGACY_ENCRYPTION_KEY);
    const other = secretsOf(stackEnv(install()));
    for (const name of DEV_SECRET_NAMES) expect(other[name]).not.toBe(first[name]);
  });

  it("keep the old encryption key for a database made before them (its stored keys stay readable)", () => {
    const a = install();
    mkdirSync(a.EMBEDDED_PG_DIR!, { recursive: true });
    writeFileSync(path.join(a.EMBEDDED_PG_DIR!, "PG_VERSION"), "18\n");
    const env = stackEnv(a);
    expect(env.ENCRYPTION_KEY).toBe(LEGACY_ENCRYPTION_KEY);
    expect(env.AUTH_SECRET).not.toBe("dev-only-auth-secret-change-me-in-production");
  });

  it("give way to values set in the environment, and are never made up in production", () => {
    const a = install();
    const env = stackEnv({ ...a, DEMO_PASSWORD: "chosen-password", AGENTS_API_KEY: "kay_chosen_key_0123456789" });
    expect(env.DEMO_PASSWORD).toBe("chosen-password");
    expect(env.AGENTS_API_KEY).toBe("kay_chosen_key_0123456789");
    expect(() => stackEnv({ ...install(), NODE_ENV: "production" })).toThrow(/Missing required environment variables in production: .*DEMO_PASSWORD/);
  });

  it("refuse a damaged file with its path instead of silently making new ones", () => {
    const a = install();
    writeFileSync(devSecretsFile(a.EMBEDDED_PG_DIR!), '{"AUTH_SECRET": 5}');
    expect(() => stackEnv(a)).toThrow(/dev-secrets\.json is not a JSON object of secrets/);
    writeFileSync(devSecretsFile(a.EMBEDDED_PG_DIR!), '{"AUTH_SECR');
    expect(() => stackEnv(a)).toThrow(/dev-secrets\.json is not a JSON object of secrets/);
  });
});
