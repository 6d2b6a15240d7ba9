import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context";

export function healthRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get("/health", async () => ({ status: "healthy", version: ctx.version, release: ctx.release, agents: ctx.config.agents.length, tenants: ctx.config.tenants.length }));
}
