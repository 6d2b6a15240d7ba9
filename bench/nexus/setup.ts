// The Nexus benchmark's world: an embedded PostgreSQL (or BENCH_DATABASE_URL's server) with a
// migrated agents database and one key, the local Messages server and Nexus, each in its own
// process so the load generator does not share their event loops.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@kayos/devstack/ports";
import { benchDatabase as sharedBenchDatabase } from "../shared/database";

export const KEY = "kay_bench_nexus_key_0123456789";
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");

export const benchDatabase = (name: string) => sharedBenchDatabase(name, KEY);

function startChild(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(env.NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes(ready)) resolve(child);
    });
  });
}

export async function startMessagesProcess(deltaDelayMs: number) {
  const port = await freePort();
  const child = await startChild(
    ["packages/messages-server/src/cli.ts", "--port", String(port), "--delta-delay-ms", String(deltaDelayMs), "--quiet"],
    {},
    "listening",
  );
  return { url: `http://127.0.0.1:${port}`, child };
}

export async function startNexusProcess(databaseUrl: string, messagesUrl: string, dataDir: string) {
  const port = await freePort();
  const child = await startChild([path.join(here, "server.ts")], {
    AGENTS_DATABASE_URL: databaseUrl,
    NEXUS_PORT: String(port),
    ANTHROPIC_BASE_URL: messagesUrl,
    ANTHROPIC_API_KEY: "offline",
    NEXUS_DATA_DIR: dataDir,
    CODINGOBSERVER_URL: "",
    LOG_LEVEL: "warn",
    NODE_ARGS: process.env.NEXUS_NODE_ARGS ?? "",
  }, "listening");
  return { base: `http://127.0.0.1:${port}`, child };
}
