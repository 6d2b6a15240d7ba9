// A plan becomes a KayGraph definition over the registered node types, one node per step, in an
// order that respects dependencies. Plan text only ever becomes node config (data), never code.
import type { Plan, PlanStep } from "@kayos/contracts";
import type { GraphDefinition, NodeDefinition } from "@kayos/kaygraph";
import { order } from "./plan-check";

const DEFAULT_WORKSPACE = "nexus-tasks";

export function planToGraph(plan: Plan, executionId: string): GraphDefinition {
  const steps = order(plan) ?? plan.steps;
  const nodes = steps.map(nodeOf);
  return {
    version: 1,
    id: `plan-${executionId}`,
    start: nodes[0]!.id,
    nodes,
    edges: nodes.slice(1).map((n, i) => ({ from: nodes[i]!.id, to: n.id })),
  };
}

function nodeOf(step: PlanStep): NodeDefinition {
  const instruction = step.instruction ?? step.goal;
  switch (step.service) {
    case "nexus": {
      const earlier = step.depends_on.map((d) => `## ${d}\n{{results.${d}}}`).join("\n\n");
      const prompt = [`Task: {{input.prompt}}`, `Current step: ${step.title}`, `Goal: ${step.goal}`, step.instruction ? `Instruction: ${step.instruction}` : "", earlier ? `Results of earlier steps:\n${earlier}` : ""]
        .filter(Boolean)
        .join("\n\n");
      return { id: step.id, type: "llm.call", config: { prompt } };
    }
    case "smith":
      return { id: step.id, type: "smith.task", config: { prompt: instruction, workspace: step.workspace ?? DEFAULT_WORKSPACE } };
    case "human":
      return { id: step.id, type: "human.input", config: { question: instruction } };
    case "tool":
      return { id: step.id, type: "tool.call", config: { tool: step.tool, args: step.args ?? {} } };
  }
}
