import { withCaller } from "~/server/rest-caller";

type Params = { params: Promise<{ id: string }> };

export const GET = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return withCaller(req, (api) => api.agents.get({ id }));
};

export const DELETE = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return withCaller(req, (api) => api.agents.remove({ id }));
};
