import { NextResponse } from "next/server";
import { readJson } from "~/server/rest";
import { conversationMessageBody } from "~/server/rest-bodies";
import { withCaller } from "~/server/rest-caller";

/** The seed's `POST /api/v1/coding_conversations/:id/messages`: posts a message and starts the reply. */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const parsed = await readJson(req, conversationMessageBody);
  if (parsed instanceof NextResponse) return parsed;
  const content = "content" in parsed ? parsed.content : parsed.message.content;
  return withCaller(
    req,
    async (api) => {
      const sent = await api.conversations.send({ id, content });
      return { ...sent, stream_url: `/api/v1/coding_conversations/${id}/stream` };
    },
    201,
  );
}
