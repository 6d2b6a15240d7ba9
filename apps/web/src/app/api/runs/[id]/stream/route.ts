import { createCaller } from "@kayos/api";
import { runStreamTarget } from "@kayos/api/services/run-stream";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createContext } from "~/server/context";
import { db } from "~/server/db";
import { env } from "~/server/env";
import { restError } from "~/server/rest";

export const dynamic = "force-dynamic";

/**
 * A run's live output, proxied from the agent service without holding any state here: the client's
 * Last-Event-ID goes upstream, so any web instance can serve a reconnect.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  try {
    const run = await createCaller(await createContext(req)).runs.get({ id });
    const target = await runStreamTarget({ db: db(), config: { encryptionKey: env().ENCRYPTION_KEY, serviceTimeoutMs: env().AGENT_SERVICE_TIMEOUT_MS } }, run);
    const lastEventId = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("last_event_id");
    const upstream = await fetch(target.url, {
      headers: { ...target.headers, accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
      signal: req.signal,
    });
    if (!upstream.ok || !upstream.body) {
      return restError(502, "upstream_error", `The ${run.service} service answered ${upstream.status} for this run's stream`);
    }
    return new Response(upstream.body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
    });
  } catch (error) {
    if (error instanceof TRPCError) return restError(getHTTPStatusCodeFromError(error), error.code.toLowerCase(), error.message);
    if (req.signal.aborted) return new Response(null, { status: 499 });
    return restError(502, "upstream_unreachable", `Could not reach the agent service: ${(error as Error).message}`);
  }
}
