import { withCaller } from "~/server/rest-caller";

/** The seed's `GET /api/v1/agents`: the organization's agents. */
export const GET = (req: Request) => withCaller(req, (api) => api.agents.list());
