// KaySmith through the shared contract: terminal sessions (the seed's /api/v1/sessions/...).
import { smithAgentEvents, smithChanges, smithSession, type SmithSessionCreate } from "@kayos/contracts";
import type { AgentServiceClient } from "./agent-service";

export const smithApi = (client: AgentServiceClient) => ({
  create: (body: SmithSessionCreate) => client.request("POST", "/api/v1/sessions/create", smithSession, body),
  get: (id: string) => client.request("GET", `/api/v1/sessions/${encodeURIComponent(id)}`, smithSession),
  changes: (id: string) => client.request("GET", `/api/v1/sessions/${encodeURIComponent(id)}/changes`, smithChanges),
  events: (id: string) => client.request("GET", `/api/v1/sessions/${encodeURIComponent(id)}/events`, smithAgentEvents),
  stop: (id: string) => client.request("POST", `/api/v1/sessions/${encodeURIComponent(id)}/stop`, smithSession, {}),
});
