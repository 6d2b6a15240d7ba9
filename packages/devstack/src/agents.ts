// Starts apps/agents as its own process (as on a customer server) and waits until each requested
// service answers /health.
import path from "node:path";
import { SERVICE_NAMES, type ServiceName } from "@kayos/contracts";
import { ROOT } from "./env";
import { startChild, waitForHttp, type Child } from "./process";

export const PORT_VARIABLE: Record<ServiceName, string> = {
  nexus: "NEXUS_PORT",
  smith: "SMITH_PORT",
  observer: "OBSERVER_PORT",
};

export async function startAgents(opts: {
  agentsDatabaseUrl: string;
  ports: Record<ServiceName, number>;
  services?: readonly ServiceName[];
  env?: NodeJS.ProcessEnv;
  log?: (source: string, line: string) => void;
}): Promise<{ child: Child; urls: Record<ServiceName, string> }> {
  const services = opts.services ?? SERVICE_NAMES;
  const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, `http://127.0.0.1:${opts.ports[s]}`])) as Record<
    ServiceName,
    string
  >;
  const child = startChild("agents", process.execPath, ["--import", "tsx", "src/main.ts", ...services], {
    cwd: path.join(ROOT, "apps", "agents"),
    env: {
      ...process.env,
      ...opts.env,
      AGENTS_DATABASE_URL: opts.agentsDatabaseUrl,
      KAYOS_EXIT_WITH_PARENT: "1",
      ...Object.fromEntries(SERVICE_NAMES.map((s) => [PORT_VARIABLE[s], String(opts.ports[s])])),
    },
    onLine: opts.log,
  });
  try {
    await Promise.all(services.map((s) => waitForHttp(`${urls[s]}/health`, child, 60_000)));
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { child, urls };
}
