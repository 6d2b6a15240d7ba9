import { withCaller } from "~/server/rest-caller";

type Params = { params: Promise<{ id: string }> };

/** A run started with `POST /api/v1/agents/execute`: its status, result or error (poll it, or follow `stream_url`). */
export async function GET(req: Request, { params }: Params) {
  const { id } = await params;
  return withCaller(req, (api) => api.runs.get({ id }));
}
