// What the API answers, shaped once here; the client imports these types.
import type { AgentEntry, CommandCenterConfig } from "./config/schema";
import type { RunRecord } from "./runs/types";

export const agentView = (a: AgentEntry) => ({ id: a.id, name: a.name, description: a.description ?? null, type: a.type });
export type AgentView = ReturnType<typeof agentView>;

export const runView = (r: RunRecord) => ({
  id: r.id,
  agent: { id: r.agent_id, name: r.agent_name },
  input: r.input,
  status: r.status,
  output: r.output,
  error: r.error,
  created_at: r.created_at,
  finished_at: r.finished_at,
});
export type RunView = ReturnType<typeof runView>;

export const meView = (user: { email: string; name: string; tenant: string }, config: CommandCenterConfig) => ({
  email: user.email,
  name: user.name,
  tenant: { id: user.tenant, name: config.tenants.find((t) => t.id === user.tenant)?.name ?? user.tenant },
});
export type MeView = ReturnType<typeof meView>;

export type Branding = CommandCenterConfig["branding"];

/** Stream events (`event:` name -> `data:`). */
export interface RunStreamEvents {
  status: { message: string };
  delta: { text: string };
  /** The agent waits for the user's answer (POST /api/runs/{id}/answer). */
  question: { question: string };
  error: { message: string };
  done: { status: RunRecord["status"]; output: string | null; error?: string | null };
}

export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  issues?: { path: string; message: string }[];
}
