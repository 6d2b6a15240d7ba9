// KaySmith (smith): Coding agents and commands in live terminal sessions inside workspaces.
import type { FastifyInstance } from "fastify";
import { buildService, type ServiceOptions } from "../shared/server";

export function buildSmith(opts: Omit<ServiceOptions, "name" | "title" | "description">) {
  return buildService(
    { ...opts, name: "smith", title: "KaySmith", description: "Coding agents and commands in live terminal sessions inside workspaces." },
    // The service's routes arrive with their own issue; the frame already authenticates and documents them.
    async (_api: FastifyInstance) => {},
  );
}
