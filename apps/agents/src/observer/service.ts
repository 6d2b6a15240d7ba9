// CodingObserver (observer): Logs, token and cost accounting, code snapshots and analytics for agent runs.
import type { FastifyInstance } from "fastify";
import { buildService, type ServiceOptions } from "../shared/server";

export function buildObserver(opts: Omit<ServiceOptions, "name" | "title" | "description">) {
  return buildService(
    { ...opts, name: "observer", title: "CodingObserver", description: "Logs, token and cost accounting, code snapshots and analytics for agent runs." },
    // The service's routes arrive with their own issue; the frame already authenticates and documents them.
    async (_api: FastifyInstance) => {},
  );
}
