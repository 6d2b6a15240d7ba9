#!/usr/bin/env -S npx tsx
// Starts the agent services: all three by default, or those named (`main.ts nexus smith`).
import { SERVICE_NAMES, serviceName, type ServiceName } from "@kayos/contracts";
import { agentsDb } from "@kayos/db/agents";
import { agentsEnv } from "./env";
import { builders } from "./services";
import { createKeyResolver } from "./shared/api-key";

const env = agentsEnv();
const requested = process.argv.slice(2);
const bad = requested.filter((n) => !serviceName.safeParse(n).success);
if (bad.length > 0) {
  console.error(`Unknown service ${bad.join(", ")}; choose from ${SERVICE_NAMES.join(", ")}`);
  process.exit(2);
}
const names = (requested.length > 0 ? requested : SERVICE_NAMES) as ServiceName[];
const ports: Record<ServiceName, [number, string]> = {
  nexus: [env.NEXUS_PORT, "NEXUS_PORT"],
  smith: [env.SMITH_PORT, "SMITH_PORT"],
  observer: [env.OBSERVER_PORT, "OBSERVER_PORT"],
};

const db = agentsDb();
const resolveCaller = createKeyResolver(db);
const apps = await Promise.all(names.map((n) => builders[n]({ logLevel: env.LOG_LEVEL, resolveCaller })));

for (const [i, app] of apps.entries()) {
  const name = names[i] as ServiceName;
  const [port, variable] = ports[name];
  try {
    await app.listen({ host: env.AGENTS_HOST, port });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    console.error(
      inUse
        ? `Port ${port} is already in use, so ${name} cannot start. Stop what uses it or set ${variable} to another port.`
        : `${name} failed to start: ${(error as Error).message}`,
    );
    await Promise.allSettled(apps.map((a) => a.close()));
    process.exit(1);
  }
}

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  // A close that cannot finish (e.g. the database already gone) must not keep the process alive.
  setTimeout(() => process.exit(1), 5000).unref();
  await Promise.allSettled(apps.map((a) => a.close()));
  await db.$disconnect();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);

// Started by the dev stack or a test: never outlive it, even if it is killed before it can stop us.
if (process.env.KAYOS_EXIT_WITH_PARENT === "1") {
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void shutdown(), 1000).unref();
}
