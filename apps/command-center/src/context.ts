// What every route needs: the loaded config and secrets, the run store and the runner.
import type { CommandCenterConfig, CommandCenterSecrets, EndUser } from "./config/schema";
import type { Runner } from "./runs/runner";
import type { RunStore } from "./runs/store";

export interface AppContext {
  config: CommandCenterConfig;
  secrets: CommandCenterSecrets;
  users: Map<string, EndUser>;
  store: RunStore;
  runner: Runner;
  version: string;
  release?: string;
}

/** The agents a tenant may use, in the order the config lists them. */
export function agentsOf(ctx: AppContext, tenantId: string) {
  const allowed = new Set(ctx.config.tenants.find((t) => t.id === tenantId)?.agents ?? []);
  return ctx.config.agents.filter((a) => allowed.has(a.id));
}
