import type { ServiceName } from "@kayos/contracts";
import type { CustomerServer } from "@kayos/db/control";
import { decryptSecret } from "@kayos/db/secrets";
import { AgentServiceClient, type ClientOptions } from "./agent-service";

export type ServiceClients = Record<ServiceName, AgentServiceClient>;

/** The three service clients of one customer server, with its decrypted API key. */
export function clientsForServer(
  server: Pick<CustomerServer, "nexusUrl" | "smithUrl" | "observerUrl" | "apiKeyCiphertext">,
  encryptionKey: string,
  opts?: ClientOptions,
): ServiceClients {
  const apiKey = decryptSecret(server.apiKeyCiphertext, encryptionKey);
  return {
    nexus: new AgentServiceClient("nexus", { baseUrl: server.nexusUrl, apiKey }, opts),
    smith: new AgentServiceClient("smith", { baseUrl: server.smithUrl, apiKey }, opts),
    observer: new AgentServiceClient("observer", { baseUrl: server.observerUrl, apiKey }, opts),
  };
}
