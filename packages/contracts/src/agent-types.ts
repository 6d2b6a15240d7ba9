import { z } from "zod";
import type { ServiceName } from "./common";

/**
 * The agent types a builder can create, and which agent service runs each (the seed's routing:
 * conversational and planning types go to Nexus, code execution to Smith).
 */
export const AGENT_TYPES = {
  "claude-conversational": { service: "nexus", label: "Conversational (Claude)" },
  planner: { service: "nexus", label: "Planner" },
  "complete-planner": { service: "nexus", label: "Complete planner (autonomous)" },
  kaygraph: { service: "nexus", label: "KayGraph definition" },
  claude_code: { service: "smith", label: "Claude Code (coding agent)" },
  shell: { service: "smith", label: "Shell session" },
} as const satisfies Record<string, { service: ServiceName; label: string }>;

export type AgentType = keyof typeof AGENT_TYPES;
export const agentType = z.enum(Object.keys(AGENT_TYPES) as [AgentType, ...AgentType[]]);
export const serviceForAgentType = (type: AgentType): ServiceName => AGENT_TYPES[type].service;
