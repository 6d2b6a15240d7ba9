// KayNexus (nexus): LLM planning and conversational agents on Claude.
import type { FastifyInstance } from "fastify";
import { buildService, type ServiceOptions } from "../shared/server";

export function buildNexus(opts: Omit<ServiceOptions, "name" | "title" | "description">) {
  return buildService(
    { ...opts, name: "nexus", title: "KayNexus", description: "LLM planning and conversational agents on Claude." },
    // The service's routes arrive with their own issue; the frame already authenticates and documents them.
    async (_api: FastifyInstance) => {},
  );
}
