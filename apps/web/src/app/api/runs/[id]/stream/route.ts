import { createCaller } from "@kayos/api";
import { NextResponse } from "next/server";
import { createContext } from "~/server/context";
import { bearerCaller } from "~/server/rest-caller";
import { proxyRunStream } from "~/server/stream-proxy";

export const dynamic = "force-dynamic";

/** A run's output as SSE: for the browser (session cookie) and for REST clients (`Authorization: Bearer`). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const caller = req.headers.has("authorization") ? await bearerCaller(req) : createCaller(await createContext(req));
  if (caller instanceof NextResponse) return caller;
  return proxyRunStream(req, caller, id);
}
