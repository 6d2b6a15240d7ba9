import { z } from "zod";

// One config schema per agent type: the server validates with it and the form is built from it.
const llm = {
  model: z.string().trim().max(100).optional(),
  system: z.string().max(20_000).optional(),
  max_tokens: z.number().int().min(1).max(64_000).optional(),
};
const terminal = {
  workspace: z
    .string()
    .trim()
    .min(1, "Name the workspace")
    .max(200)
    .regex(/^[\w.-]+(\/[\w.-]+)*$/, "a relative path of letters, digits, '.', '_' and '-'")
    .refine((p) => !p.split("/").some((seg) => seg === "." || seg === ".."), "must stay inside the workspace root"),
};

export const agentConfigByType = {
  "claude-conversational": z.object(llm),
  planner: z.object(llm),
  "complete-planner": z.object(llm),
  kaygraph: z.object({ definition_id: z.string().min(1, "Pick a stored definition") }),
  claude_code: z.object({
    ...terminal,
    prompt: z.string().max(20_000).optional(),
    /** `ask`: each tool use waits for a builder's decision on the run page. */
    approvals: z.enum(["skip", "ask"], { message: "choose skip or ask" }).optional(),
  }),
  shell: z.object({ ...terminal, command: z.string().max(2_000).optional() }),
} as const;

const base = {
  name: z.string().trim().min(1, "Give the agent a name").max(80),
  description: z.string().max(2_000).default(""),
  serverId: z.string().nullable().optional(),
};

const variant = <T extends keyof typeof agentConfigByType>(type: T) =>
  z.object({ ...base, agentType: z.literal(type), config: agentConfigByType[type] });

export const createAgentInput = z.discriminatedUnion("agentType", [
  variant("claude-conversational"),
  variant("planner"),
  variant("complete-planner"),
  variant("kaygraph"),
  variant("claude_code"),
  variant("shell"),
]);
export type CreateAgentInput = z.input<typeof createAgentInput>;

export const updateDraftInput = z.object({
  id: z.string(),
  name: base.name.optional(),
  description: z.string().max(2_000).optional(),
  serverId: base.serverId,
  config: z.record(z.string(), z.unknown()).optional(),
});

export const setGrantInput = z.object({
  agentId: z.string(),
  userId: z.string(),
  permission: z.enum(["use", "edit"]),
  granted: z.boolean(),
});
