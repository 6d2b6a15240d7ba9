// The signed-in user's tenant's agents, and starting a run of one.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { userOf } from "../auth/guard";
import { agentsOf, type AppContext } from "../context";
import { notFound, parse } from "../errors";
import { agentView, runView } from "../views";

const agentParams = z.object({ id: z.string().min(1).max(100) });
export const runBody = z.object({
  input: z.string().trim().min(1, "write something for the agent to work on").max(100_000, "is too long (at most 100,000 characters)"),
});

export function agentRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get("/api/agents", async (request) => ({ agents: agentsOf(ctx, userOf(request).tenant).map(agentView) }));

  app.get("/api/agents/:id", async (request) => {
    const { id } = parse(agentParams, request.params, "params");
    const agent = agentsOf(ctx, userOf(request).tenant).find((a) => a.id === id);
    if (!agent) throw notFound(`Agent ${id}`);
    return agentView(agent);
  });

  app.post("/api/agents/:id/runs", async (request, reply) => {
    const user = userOf(request);
    const { id } = parse(agentParams, request.params, "params");
    const { input } = parse(runBody, request.body, "body");
    const agent = agentsOf(ctx, user.tenant).find((a) => a.id === id);
    if (!agent) throw notFound(`Agent ${id}`);
    const run = ctx.runner.start(user, agent, input);
    return reply.status(201).send({ run_id: run.id, run: runView(run) });
  });
}
