// Returns a structured plan (steps with goals, dependencies and the service that runs each).
import type { Prisma } from "@kayos/db/agents";
import { makePlan } from "../services/planner";
import type { AgentType } from "./types";

export const planner: AgentType = {
  name: "planner",
  description: "A structured plan for the prompt: steps with goals, dependencies and which service runs each, schema-checked",
  requiresPrompt: true,
  async run(ctx) {
    const plan = await makePlan(ctx);
    ctx.emit("plan", { plan });
    return { plan } as unknown as Prisma.InputJsonValue;
  },
};
