// Config, secrets and data folders for tests: two tenants (acme, globex), one user each, agents given
// by the test. Written to a temp folder the way the control plane writes them on a server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "../src/auth/password";
import type { CommandCenterConfig, CommandCenterSecrets } from "../src/config/schema";
import { afterAll } from "vitest";

export const PASSWORD = "correct horse battery staple";
export const ALICE = { email: "alice@acme.test", name: "Alice", tenant: "acme" };
export const BOB = { email: "bob@globex.test", name: "Bob", tenant: "globex" };

let hash: Promise<string> | undefined;

export function baseConfig(agents: CommandCenterConfig["agents"], tenants?: CommandCenterConfig["tenants"]): CommandCenterConfig {
  return {
    version: 1,
    branding: { product_name: "Acme <Agents>", colors: { primary: "#0a7d5a" } },
    services: {},
    agents,
    tenants: tenants ?? [
      { id: "acme", name: "Acme", agents: agents.map((a) => a.id) },
      { id: "globex", name: "Globex", agents: agents.map((a) => a.id) },
    ],
  };
}

export async function baseSecrets(extra: Partial<CommandCenterSecrets> = {}): Promise<CommandCenterSecrets> {
  const password_hash = await (hash ??= hashPassword(PASSWORD));
  return {
    session_secret: "s".repeat(16) + "0123456789abcdef0123",
    agent_secrets: {},
    users: [ALICE, BOB].map((u) => ({ ...u, password_hash })),
    ...extra,
  };
}

const roots: string[] = [];
// Each test file removes the deploy roots it made (they hold secrets files and run histories).
afterAll(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A deploy root: <root>/config/agents.json, <root>/shared/secrets.json, <root>/shared/data. */
export function writeDeploy(config: unknown, secrets: unknown) {
  const root = mkdtempSync(path.join(os.tmpdir(), "kayos-cc-"));
  roots.push(root);
  mkdirSync(path.join(root, "config"));
  mkdirSync(path.join(root, "shared"));
  const paths = {
    root,
    config: path.join(root, "config", "agents.json"),
    secrets: path.join(root, "shared", "secrets.json"),
    data: path.join(root, "shared", "data"),
  };
  writeFileSync(paths.config, JSON.stringify(config, null, 2));
  writeFileSync(paths.secrets, JSON.stringify(secrets, null, 2));
  return paths;
}
