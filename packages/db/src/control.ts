// The control plane's database client (organizations, users, agents, runs, ...).
import { cachedClient } from "./client-factory";
import { controlDbUrl } from "./env";
import { PrismaClient } from "./generated/control/client";

export * from "./generated/control/client";
export type ControlDb = PrismaClient;

export function controlDb(url: string = controlDbUrl()): ControlDb {
  return cachedClient("control", url, (adapter) => new PrismaClient({ adapter }));
}
