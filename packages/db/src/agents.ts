// The agent services' database client (executions, sessions, logs, snapshots, metrics, keys).
import { cachedClient } from "./client-factory";
import { agentsDbUrl } from "./env";
import { PrismaClient } from "./generated/agents/client";

export * from "./generated/agents/client";
export type AgentsDb = PrismaClient;

export function agentsDb(url: string = agentsDbUrl()): AgentsDb {
  return cachedClient("agents", url, (adapter) => new PrismaClient({ adapter }));
}
