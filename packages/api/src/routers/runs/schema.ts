import { agentType, answerText } from "@kayos/contracts";
import { z } from "zod";

/** Run a saved agent: its latest published version, or its draft when asked (or never published). */
export const runSavedAgentInput = z.object({
  agentId: z.string(),
  prompt: z.string().max(100_000).optional(),
  useDraft: z.boolean().default(false),
});

/** The seed's ad-hoc form: `{agent_type, prompt}` or `{agent_type: "claude_code", workspace}`. */
export const runAdHocInput = z.object({
  agent_type: z.preprocess((t) => (t === "claude-code" ? "claude_code" : t), agentType),
  prompt: z.string().max(100_000).optional(),
  workspace: z.string().min(1).max(200).optional(),
  command: z.string().max(2_000).optional(),
  model: z.string().max(100).optional(),
  /** Handed to Nexus as the run's context (the seed's `context`), e.g. `{system, project}`. */
  context: z.record(z.string(), z.unknown()).optional(),
  /** `kaygraph`: the stored graph definition to run (or `context.definition_id`). */
  definition_id: z.string().min(1).max(200).optional(),
});

export const executeInput = z.union([runSavedAgentInput, runAdHocInput]);
export type ExecuteInput = z.input<typeof executeInput>;

/** A builder's answer to a coding agent that asks before using a tool. */
export const decideInput = z.object({
  id: z.string(),
  requestId: z.string().min(1).max(200),
  behavior: z.enum(["allow", "deny"]),
  message: z.string().max(2_000).optional(),
});

/** A builder's answer to a graph run that waits for a human (a plan's `human` step). */
export const answerInput = z.object({
  id: z.string(),
  answer: answerText,
});

export const listRunsInput = z.object({
  agentId: z.string().optional(),
  status: z.enum(["queued", "running", "succeeded", "failed", "stopped"]).optional(),
  cursor: z.string().nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});
