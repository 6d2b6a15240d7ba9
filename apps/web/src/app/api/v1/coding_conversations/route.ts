import { createConversationInput } from "@kayos/api/routers/conversations/schema";
import { NextResponse } from "next/server";
import { readJson } from "~/server/rest";
import { withCaller } from "~/server/rest-caller";

/** The seed's `GET /api/v1/coding_conversations`: the organization's conversations, newest first. */
export const GET = (req: Request) => withCaller(req, (api) => api.conversations.list());

/** Starts a conversation: `{agentId?, title?}` (no agent: Claude directly). */
export async function POST(req: Request) {
  const body = await readJson(req, createConversationInput);
  if (body instanceof NextResponse) return body;
  return withCaller(req, (api) => api.conversations.create(body), 201);
}
