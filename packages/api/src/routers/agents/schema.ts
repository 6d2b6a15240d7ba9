import { z } from "zod";

export const NAME_MAX = 80;
export const DESCRIPTION_MAX = 2_000;

// Messages name the field as the form labels it, so they read on their own in an alert too.
const maxChars = (label: string, max: number) => `${label} must be at most ${max.toLocaleString("en-US")} characters`;
const text = (label: string, max: number) => z.string({ error: `${label} must be text` }).max(max, maxChars(label, max));

// One config schema per agent type: the server validates with it and the form is built from it.
const llm = (instructions: string) => ({
  model: text("Model", 100).trim().optional(),
  system: text(instructions, 20_000).optional(),
  max_tokens: z
    .number({ error: "Max tokens must be a whole number from 1 to 64,000" })
    .int("Max tokens must be a whole number from 1 to 64,000")
    .min(1, "Max tokens must be a whole number from 1 to 64,000")
    .max(64_000, "Max tokens must be a whole number from 1 to 64,000")
    .optional(),
});
const terminal = {
  workspace: z
    .string({ error: "Workspace is required: name a folder under the server's workspace root" })
    .trim()
    .min(1, "Workspace is required: name a folder under the server's workspace root")
    // The pattern accepts "" so an empty workspace gets the one "is required" message.
    .max(200, maxChars("Workspace", 200))
    .regex(/^([\w.-]+(\/[\w.-]+)*)?$/, "Workspace must be a relative path of letters, digits, '.', '_' and '-' (like projects/site)")
    .refine((p) => !p.split("/").some((seg) => seg === "." || seg === ".."), "Workspace must stay inside the workspace root: no '.' or '..' folders"),
  /** `worktree`: each run works in its own git worktree of the workspace (its own folder and branch), so runs at once never edit each other's files. */
  isolation: z.enum(["shared", "worktree"], { error: "Runs must be “Work in the workspace itself” or “Each run in its own git worktree”" }).optional(),
};

export const agentConfigByType = {
  "claude-conversational": z.object(llm("System prompt")),
  planner: z.object(llm("Planning instructions")),
  "complete-planner": z.object(llm("Planning instructions")),
  kaygraph: z.object({
    definition_id: z.string({ error: "Stored definition id is required" }).min(1, "Stored definition id is required"),
  }),
  claude_code: z.object({
    ...terminal,
    prompt: text("Task for Claude Code", 20_000).optional(),
    /** `ask`: each tool use waits for a builder's decision on the run page. */
    approvals: z.enum(["skip", "ask"], { error: "Tool use must be “Runs every tool” or “Asks before each tool use”" }).optional(),
  }),
  shell: z.object({ ...terminal, command: text("Command", 2_000).optional() }),
} as const;
export type ConfigurableAgentType = keyof typeof agentConfigByType;

const base = {
  name: z
    .string({ error: "Name is required" })
    .trim()
    .min(1, "Name is required: give the agent a name")
    .max(NAME_MAX, maxChars("Name", NAME_MAX)),
  description: text("Description", DESCRIPTION_MAX).default(""),
  serverId: z.string().nullable().optional(),
};

const variant = <T extends ConfigurableAgentType>(type: T) =>
  z.object({ ...base, agentType: z.literal(type), config: agentConfigByType[type] });

export const createAgentInput = z.discriminatedUnion(
  "agentType",
  [variant("claude-conversational"), variant("planner"), variant("complete-planner"), variant("kaygraph"), variant("claude_code"), variant("shell")],
  { error: "Type must be one of the listed agent types" },
);
export type CreateAgentInput = z.input<typeof createAgentInput>;

export const updateDraftInput = z.object({
  id: z.string(),
  name: base.name.optional(),
  description: text("Description", DESCRIPTION_MAX).optional(),
  serverId: base.serverId,
  config: z.record(z.string(), z.unknown()).optional(),
});

/** The draft form's contract for one agent type: updateDraftInput with that type's config schema. */
export const draftInputFor = (type: ConfigurableAgentType) => updateDraftInput.extend({ config: agentConfigByType[type] });

export const setGrantInput = z.object({
  agentId: z.string(),
  userId: z.string(),
  permission: z.enum(["use", "edit"]),
  granted: z.boolean(),
});
