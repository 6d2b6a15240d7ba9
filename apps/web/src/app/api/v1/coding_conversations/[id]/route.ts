import { withCaller } from "~/server/rest-caller";

/** A conversation with its messages (replies that finished are filled in). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return withCaller(req, (api) => api.conversations.get({ id }));
}
