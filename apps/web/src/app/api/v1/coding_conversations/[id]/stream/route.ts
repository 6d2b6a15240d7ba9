import { NextResponse } from "next/server";
import { restError } from "~/server/rest";
import { bearerCaller, restErrorOf } from "~/server/rest-caller";
import { proxyRunStream } from "~/server/stream-proxy";

export const dynamic = "force-dynamic";

/** The seed's `GET /api/v1/coding_conversations/:id/stream`: the latest reply, streamed (SSE, resumable). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const caller = await bearerCaller(req);
  if (caller instanceof NextResponse) return caller;
  let runId: string | undefined;
  try {
    const conversation = await caller.conversations.get({ id });
    runId = conversation.messages.findLast((m) => m.run)?.run?.id;
  } catch (error) {
    return restErrorOf(error);
  }
  if (!runId) return restError(404, "not_found", "This conversation has no reply yet: POST a message first");
  return proxyRunStream(req, caller, runId);
}
