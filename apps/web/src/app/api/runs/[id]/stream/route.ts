import { createCaller } from "@kayos/api";
import { createContext } from "~/server/context";
import { proxyRunStream } from "~/server/stream-proxy";

export const dynamic = "force-dynamic";

/** The browser's stream of a run's output (session cookie). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return proxyRunStream(req, createCaller(await createContext(req)), id);
}
