// KayNexus through the shared contract: executions (the seed's /api/v1/agents/...).
import { executeResponse, executionView, type ExecuteBody } from "@kayos/contracts";
import type { AgentServiceClient } from "./agent-service";

export const nexusApi = (client: AgentServiceClient) => ({
  execute: (body: ExecuteBody) => client.request("POST", "/api/v1/agents/execute", executeResponse, body),
  get: (id: string) => client.request("GET", `/api/v1/agents/${encodeURIComponent(id)}`, executionView),
  stop: (id: string) => client.request("POST", `/api/v1/agents/${encodeURIComponent(id)}/stop`, executionView, {}),
  /** Answers the question a graph waits on a human for; the run goes on. */
  answer: (id: string, answer: string) => client.request("POST", `/api/v1/agents/${encodeURIComponent(id)}/answer`, executionView, { answer }),
});
