// The agent type registry: adding a type is one file plus one line here.
import { claudeConversational } from "./claude-conversational";
import { completePlanner } from "./complete-planner";
import { kaygraph } from "./kaygraph";
import { planner } from "./planner";
import type { AgentType } from "./types";

const TYPES: AgentType[] = [claudeConversational, planner, completePlanner, kaygraph];

const byName = new Map(TYPES.map((t) => [t.name, t]));

export function findAgentType(name: string): AgentType | undefined {
  return byName.get(name);
}

export function agentTypeNames(): string[] {
  return [...byName.keys()];
}

export function agentTypes(): readonly AgentType[] {
  return TYPES;
}
