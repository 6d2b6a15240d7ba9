// A run as stored and shown: who ran which agent with what, and how it ended.
import { z } from "zod";

export const runStatus = z.enum(["running", "succeeded", "failed"]);
export type RunStatus = z.infer<typeof runStatus>;

export const runEventType = z.enum(["status", "delta", "question", "error", "done"]);
export type RunEventType = z.infer<typeof runEventType>;

export const runEvent = z.object({ seq: z.number().int(), type: runEventType, data: z.record(z.string(), z.unknown()), at: z.string() });
export type RunEvent = z.infer<typeof runEvent>;

/** The lines of a tenant's history file (append-only JSONL). */
export const historyLine = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("run"),
    id: z.string(),
    tenant: z.string(),
    user: z.string(),
    agent_id: z.string(),
    agent_name: z.string(),
    input: z.string(),
    created_at: z.string(),
  }),
  z.object({ kind: z.literal("event"), run_id: z.string(), event: runEvent }),
  z.object({ kind: z.literal("end"), run_id: z.string(), status: runStatus, output: z.string().nullable(), error: z.string().nullable(), finished_at: z.string() }),
]);
export type HistoryLine = z.infer<typeof historyLine>;

export interface RunRecord {
  id: string;
  tenant: string;
  user: string;
  agent_id: string;
  agent_name: string;
  input: string;
  status: RunStatus;
  output: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}
