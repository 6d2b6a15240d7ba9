import { executeInput } from "@kayos/api/routers/runs/schema";
import { NextResponse } from "next/server";
import { readJson } from "~/server/rest";
import { withCaller } from "~/server/rest-caller";

/**
 * The seed's `POST /api/v1/agents/execute`: `{agent_type, prompt}` (or `{agentId}` for a saved
 * agent) dispatched to Nexus or Smith. Answers the run, with where to stream its output.
 */
export async function POST(req: Request) {
  const body = await readJson(req, executeInput);
  if (body instanceof NextResponse) return body;
  return withCaller(
    req,
    async (api) => {
      const run = await api.runs.execute(body);
      return { ...run, session_id: run.externalId, run_url: `/api/v1/runs/${run.id}`, stream_url: `/api/runs/${run.id}/stream` };
    },
    201,
  );
}
