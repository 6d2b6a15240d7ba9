// Plans, turns the plan into a KayGraph definition and runs it durably: checkpoints in PostgreSQL,
// resumed after a restart without repeating finished steps, progress streamed step by step.
import type { Plan } from "@kayos/contracts";
import type { Prisma } from "@kayos/db/agents";
import type { GraphDefinition } from "@kayos/kaygraph";
import { runGraph } from "../graph/run-graph";
import { makePlan } from "../services/planner";
import { planToGraph } from "../services/plan-to-graph";
import { WAITING, type AgentType } from "./types";

interface Stored {
  plan: Plan;
  definition: GraphDefinition;
}

export const completePlanner: AgentType = {
  name: "complete-planner",
  description: "Plans, then runs the plan as a durable KayGraph (LLM calls, tools, Smith code tasks, human questions), step by step",
  requiresPrompt: true,
  durable: true,
  async run(ctx) {
    let stored: Stored | null = null;
    if (ctx.resumed) stored = ((await ctx.deps.executions.find(ctx.executionId))?.graph ?? null) as unknown as Stored | null;
    if (!stored) {
      // Planning is one step: a restart before the graph was recorded plans again.
      const plan = await makePlan(ctx);
      ctx.emit("plan", { plan });
      stored = { plan, definition: planToGraph(plan, ctx.executionId) };
      await ctx.record({ graph: stored as unknown as Prisma.InputJsonValue });
      ctx.emit("graph", { definition: stored.definition });
    }
    const outcome = await runGraph(ctx, stored.definition, { prompt: ctx.input.prompt, ...ctx.input.context });
    if (outcome === WAITING) return WAITING;
    return { plan: stored.plan, ...(outcome as Prisma.JsonObject) } as Prisma.InputJsonValue;
  },
};
