// Entry point of the release (bundled to server.mjs): load and check the files, then serve.
// A bad config prints every problem and exits 1, so a deploy's health check fails loudly.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "./config/load";
import { settingsFrom } from "./env";
import { buildServer } from "./server";

const here = path.dirname(fileURLToPath(import.meta.url));

function versionOf(): string {
  const file = path.join(here, "release.json");
  if (!existsSync(file)) return "dev";
  const release = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown };
  return typeof release.version === "string" ? release.version : "dev";
}

/** Deploys put each release in <root>/releases/<name>/. */
function releaseName(): string | undefined {
  return path.basename(path.dirname(here)) === "releases" ? path.basename(here) : undefined;
}

async function main() {
  const settings = settingsFrom(process.env, here);
  const loaded = loadConfig({ config: settings.configPath, secrets: settings.secretsPath });
  const app = await buildServer({ ...loaded, dataDir: settings.dataDir, publicDir: settings.publicDir, version: versionOf(), release: releaseName(), logLevel: settings.logLevel });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
  await app.listen({ host: settings.host, port: settings.port });
}

main().catch((error: unknown) => {
  // Problems are printed as sentences; a ConfigError lists each with its path.
  process.stderr.write(`${error instanceof ConfigError ? error.message : `The Command Center cannot start: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exit(1);
});
