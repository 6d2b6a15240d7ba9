// Agents that run on KayNexus (claude-conversational, planner, ...): execute, then stream tokens.
import { z } from "zod";
import { defineAdapter } from "./adapter";
import { createConversation, executeOnNexus } from "./nexus-client";

export const nexusAdapterConfig = z.object({
  agent_type: z.string().min(1).max(100),
  model: z.string().min(1).max(200).optional(),
  system: z.string().max(100_000).optional(),
  max_tokens: z.number().int().min(1).max(128_000).optional(),
});

export const nexus = defineAdapter({
  description: "A Nexus agent type (POST /api/v1/agents/execute), streamed",
  config: nexusAdapterConfig,
  needsNexus: () => true,
  async *run({ agent, input, env, signal }) {
    const c = agent.config;
    // Execute has no system field. A conversational agent's lives in a conversation (Nexus keeps
    // conversations for that type only); the other types (planners' instructions) take it in
    // `context.system`, as the control plane's own runs of the same agent send it.
    const conversational = c.agent_type === "claude-conversational";
    const conversationId = c.system && conversational ? await createConversation(env, { agent_type: c.agent_type, system: c.system }, signal) : undefined;
    yield* executeOnNexus(
      env,
      {
        agent_type: c.agent_type,
        prompt: input,
        ...(c.model ? { model: c.model } : {}),
        ...(c.max_tokens ? { max_tokens: c.max_tokens } : {}),
        ...(conversationId ? { conversation_id: conversationId } : {}),
        ...(c.system && !conversational ? { context: { system: c.system } } : {}),
      },
      signal,
    );
  },
});
