// The seed's "Step 1: Check All Services Are Running", per organization: each agent service's
// /health, plus whether it accepts the organization's API key. One slow service never hides another.
import { SERVICE_NAMES, type ServiceName } from "@kayos/contracts";
import type { ServiceClients } from "../clients/for-server";
import { AppError } from "../errors";

export type ServiceState = "healthy" | "down" | "key-rejected";

export interface ServiceHealth {
  service: ServiceName;
  url: string;
  state: ServiceState;
  version: string | null;
  latencyMs: number;
  message: string | null;
}

export async function checkServices(clients: ServiceClients): Promise<ServiceHealth[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (service): Promise<ServiceHealth> => {
      const client = clients[service];
      const started = performance.now();
      const done = (state: ServiceState, version: string | null, message: string | null) => ({
        service,
        url: client.baseUrl,
        state,
        version,
        message,
        latencyMs: Math.round(performance.now() - started),
      });
      try {
        const health = await client.health();
        await client.whoami();
        return done("healthy", health.version, null);
      } catch (error) {
        const message = error instanceof AppError ? error.message : "unexpected error";
        const rejected = error instanceof AppError && error.message.includes("refused the server's API key");
        return done(rejected ? "key-rejected" : "down", null, message);
      }
    }),
  );
}
