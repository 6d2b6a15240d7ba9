// Development secrets made at random for each install, kept in one 0600 file beside the embedded
// database's folder (`.data/dev-secrets.json` by default; session isolation hides `.data`). Agents
// run programs on this machine, and with values every install shares a program could sign in as
// anyone (AUTH_SECRET), call the agent services as the demo organization (AGENTS_API_KEY), report
// into any organization's logs (SMITH_REPORTER_SECRET) or take the demo login. Values set in the
// environment or `.env` win; in production nothing is made up (the variables are required).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEV_ENCRYPTION_KEY } from "@kayos/env";
import { z } from "zod";

export const DEV_SECRET_NAMES = ["AUTH_SECRET", "ENCRYPTION_KEY", "AGENTS_API_KEY", "SMITH_REPORTER_SECRET", "DEMO_PASSWORD"] as const;
type DevSecretName = (typeof DEV_SECRET_NAMES)[number];
export type DevSecrets = Record<DevSecretName, string>;

/**
 * The key earlier versions encrypted stored credentials with (@kayos/env's development default):
 * an install whose database predates this file keeps it, or its servers' keys could no longer be read.
 */
export const LEGACY_ENCRYPTION_KEY = DEV_ENCRYPTION_KEY;

const random = (bytes: number) => randomBytes(bytes).toString("base64url");
const make: Record<DevSecretName, () => string> = {
  AUTH_SECRET: () => random(32),
  ENCRYPTION_KEY: () => random(32),
  AGENTS_API_KEY: () => `kay_dev_${random(24)}`,
  SMITH_REPORTER_SECRET: () => random(32),
  DEMO_PASSWORD: () => random(12),
};

const stored = z.record(z.string(), z.string().min(8));

export const devSecretsFile = (embeddedPgDir: string) => path.join(path.dirname(path.resolve(embeddedPgDir)), "dev-secrets.json");

/**
 * The install's development secrets, made (and saved) on first use. `existingDatabase`: the
 * database was made before this file, so the legacy encryption key is kept.
 */
export function devSecrets(file: string, opts: { existingDatabase: boolean }): DevSecrets {
  let saved: Record<string, string> = {};
  if (existsSync(file)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      json = undefined;
    }
    const parsed = stored.safeParse(json);
    if (!parsed.success) throw new Error(`${file} is not a JSON object of secrets (strings of 8+ characters); fix or delete it`);
    saved = parsed.data;
  }
  const secrets = {} as DevSecrets;
  let changed = false;
  for (const name of DEV_SECRET_NAMES) {
    const value = saved[name] ?? (name === "ENCRYPTION_KEY" && opts.existingDatabase ? LEGACY_ENCRYPTION_KEY : make[name]());
    changed ||= saved[name] === undefined;
    secrets[name] = value;
  }
  if (changed) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}

/** `source` with the install's development secrets filled in where it sets none (not in production). */
export function withDevSecrets(source: NodeJS.ProcessEnv, embeddedPgDir: string): NodeJS.ProcessEnv {
  if (source.NODE_ENV === "production" || DEV_SECRET_NAMES.every((name) => source[name])) return source;
  const existingDatabase = Boolean(source.DATABASE_URL) || existsSync(path.join(embeddedPgDir, "PG_VERSION"));
  const secrets = devSecrets(devSecretsFile(embeddedPgDir), { existingDatabase });
  const filled = { ...source };
  for (const name of DEV_SECRET_NAMES) if (!source[name]) filled[name] = secrets[name];
  return filled;
}
