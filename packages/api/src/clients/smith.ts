// KaySmith through the shared contract: terminal sessions (the seed's /api/v1/sessions/...).
import {
  smithAgentEvents,
  smithApprovals,
  smithChanges,
  smithConversationState,
  smithSession,
  type SmithApprovalDecision,
  type SmithResize,
  type SmithSessionCreate,
} from "@kayos/contracts";
import { z } from "zod";
import type { AgentServiceClient } from "./agent-service";

export const smithApi = (client: AgentServiceClient) => ({
  create: (body: SmithSessionCreate) => client.request("POST", "/api/v1/sessions/create", smithSession, body),
  get: (id: string) => client.request("GET", `/api/v1/sessions/${encodeURIComponent(id)}`, smithSession),
  changes: (id: string) => client.request("GET", `/api/v1/sessions/${encodeURIComponent(id)}/changes`, smithChanges),
  events: (id: string) => client.request("GET", `/api/v1/sessions/${encodeURIComponent(id)}/events`, smithAgentEvents),
  /** Ends the session's whole process tree (Smith's /stop only interrupts the foreground program). */
  end: (id: string) => client.request("DELETE", `/api/v1/sessions/${encodeURIComponent(id)}`, smithSession),
  /** Types `data` (UTF-8 text) into the session's terminal. */
  input: (id: string, data: string) => client.request("POST", `/api/v1/sessions/${encodeURIComponent(id)}/input`, z.object({ bytes: z.number() }), { data }),
  resize: (id: string, size: SmithResize) => client.request("POST", `/api/v1/sessions/${encodeURIComponent(id)}/resize`, smithSession, size),
  approvals: (id: string) => client.request("GET", `/api/v1/sessions/${encodeURIComponent(id)}/approvals`, smithApprovals),
  decide: (id: string, requestId: string, decision: SmithApprovalDecision) =>
    client.request("POST", `/api/v1/sessions/${encodeURIComponent(id)}/approvals/${encodeURIComponent(requestId)}`, smithConversationState, decision),
});
