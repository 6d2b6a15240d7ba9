import "server-only";
import { runStreamTarget } from "@kayos/api/services/run-stream";
import type { Caller } from "./rest-caller";
import { restError } from "./rest";
import { restErrorOf } from "./rest-caller";
import { db } from "./db";
import { apiConfig } from "./env";

/**
 * A run's live output, proxied from the agent service without holding any state here: the client's
 * Last-Event-ID goes upstream, so any web instance can serve a reconnect.
 */
export async function proxyRunStream(req: Request, caller: Caller, runId: string): Promise<Response> {
  try {
    const run = await caller.runs.get({ id: runId });
    const target = await runStreamTarget({ db: db(), config: apiConfig() }, run);
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
    if (req.signal.aborted) return new Response(null, { status: 499 });
    if (error instanceof TypeError) return restError(502, "upstream_unreachable", `Could not reach the agent service: ${error.message}`);
    return restErrorOf(error);
  }
}
