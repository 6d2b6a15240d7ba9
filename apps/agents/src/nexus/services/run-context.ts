// A run's `context` may carry the agent's own instructions as `system`: the control plane and the
// Command Center send a saved agent's system prompt or planning instructions that way (execute has no
// field of its own for them). They belong in the model's system prompt; the rest of the context is
// data for the task, shown to the model as JSON.
export function splitContext(context: Record<string, unknown>): { instructions?: string; data?: string } {
  const { system, ...rest } = context;
  const instructions = typeof system === "string" && system.trim() ? system : undefined;
  // A caller's own non-text `system` entry is data like any other.
  const data = instructions ? rest : context;
  return { instructions, data: Object.keys(data).length > 0 ? `Context (JSON): ${JSON.stringify(data)}` : undefined };
}
