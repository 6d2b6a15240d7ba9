// CodingObserver through the shared contract: per-session metrics and the organization dashboard.
import { dashboard, sessionMetrics } from "@kayos/contracts";
import type { AgentServiceClient } from "./agent-service";

export const observerApi = (client: AgentServiceClient) => ({
  metrics: (sessionId: string) =>
    client.request("GET", `/api/v1/analytics/metrics/${encodeURIComponent(sessionId)}`, sessionMetrics),
  dashboard: (range: { since?: string; until?: string }) => {
    const query = new URLSearchParams(Object.entries(range).filter((e): e is [string, string] => !!e[1]));
    return client.request("GET", `/api/v1/analytics/dashboard?${query}`, dashboard);
  },
});
