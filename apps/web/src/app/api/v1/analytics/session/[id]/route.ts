import { withCaller } from "~/server/rest-caller";

/** The seed's `GET /api/v1/analytics/session/{id}`, from CodingObserver. */
export const GET = async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return withCaller(req, (api) => api.analytics.session({ id }));
};
