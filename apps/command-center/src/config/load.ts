// Reads and checks config/agents.json and the secrets file together: every problem of both files,
// with its JSON path, in one error, so a bad deploy is fixed in one go.
import { readFileSync } from "node:fs";
import type { z } from "zod";
import type { Adapter } from "../adapters/adapter";
import { adapters } from "../adapters/index";
import { formatIssues, jsonPath, type ConfigIssue } from "./issues";
import { commandCenterConfig, commandCenterSecrets, type CommandCenterConfig, type CommandCenterSecrets } from "./schema";

export interface ConfigPaths {
  config: string;
  secrets: string;
}

export interface LoadedConfig {
  config: CommandCenterConfig;
  secrets: CommandCenterSecrets;
}

export interface FileIssue extends ConfigIssue {
  file: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly issues: FileIssue[]) {
    const byFile = new Map<string, FileIssue[]>();
    for (const i of issues) byFile.set(i.file, [...(byFile.get(i.file) ?? []), i]);
    const lines = [...byFile].flatMap(([file, list]) => [`  ${file}:`, ...formatIssues(list).map((l) => `    ${l}`)]);
    super(`The Command Center cannot start: ${issues.length} problem${issues.length === 1 ? "" : "s"}\n${lines.join("\n")}`);
  }
}

function readJson(file: string, issues: FileIssue[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    issues.push({ file, path: "", message: code === "ENOENT" ? "file not found" : `cannot be read (${code ?? String(error)})` });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    issues.push({ file, path: "", message: `is not valid JSON (${(error as Error).message})` });
    return undefined;
  }
}

function check<S extends z.ZodType>(schema: S, value: unknown, file: string, issues: FileIssue[]): z.infer<S> | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const i of parsed.error.issues) issues.push({ file, path: jsonPath(i.path), message: i.message });
  return undefined;
}

/** What the config asks of the secrets file: users' tenants, Nexus key, named agent secrets. */
function crossCheck(config: CommandCenterConfig, secrets: CommandCenterSecrets, paths: ConfigPaths, issues: FileIssue[]) {
  const tenants = new Set(config.tenants.map((t) => t.id));
  secrets.users.forEach((u, i) => {
    if (!tenants.has(u.tenant)) issues.push({ file: paths.secrets, path: `users[${i}].tenant`, message: `no tenant "${u.tenant}" in ${paths.config}` });
  });
  config.agents.forEach((agent, i) => {
    const adapter: Adapter = adapters[agent.adapter];
    if (adapter.needsNexus?.(agent.config) && !secrets.nexus_api_key) {
      issues.push({ file: paths.secrets, path: "nexus_api_key", message: `is required: agent "${agent.id}" runs through Nexus` });
    }
    const parsed = adapter.config.safeParse(agent.config);
    const refs = parsed.success ? (adapter.secretsOf?.(parsed.data) ?? []) : [];
    for (const ref of refs) {
      if (secrets.agent_secrets[ref.name] === undefined) {
        issues.push({ file: paths.config, path: jsonPath(["agents", i, "config", ...ref.path]), message: `no secret "${ref.name}" in agent_secrets of ${paths.secrets}` });
      }
    }
  });
}

/** The parsed config and secrets, or a ConfigError listing every problem. */
export function loadConfig(paths: ConfigPaths): LoadedConfig {
  const issues: FileIssue[] = [];
  const config = check(commandCenterConfig, readJson(paths.config, issues), paths.config, issues);
  const secrets = check(commandCenterSecrets, readJson(paths.secrets, issues), paths.secrets, issues);
  if (config && secrets) crossCheck(config, secrets, paths, issues);
  // One missing Nexus key is one problem, however many agents need it.
  const unique = issues.filter((i, n) => issues.findIndex((j) => j.file === i.file && j.path === i.path && j.message === i.message) === n);
  if (unique.length || !config || !secrets) throw new ConfigError(unique);
  return { config, secrets };
}
