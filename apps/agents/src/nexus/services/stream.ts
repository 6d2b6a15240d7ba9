// Answers a request with an execution's SSE stream from a sequence number on, until `done`.
import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "../../shared/errors";
import type { NexusDeps } from "./deps";
import { Sse } from "./sse";
import { followExecution } from "./stream-follower";

/** The resume point: `?last_event_id=` wins over the `Last-Event-ID` header; none means from the start. */
export function lastEventIdOf(request: FastifyRequest, fromQuery: number | undefined): number {
  if (fromQuery !== undefined) return fromQuery;
  const header = request.headers["last-event-id"];
  if (header === undefined || header === "") return 0;
  if (typeof header !== "string" || !/^\d{1,10}$/.test(header.trim())) {
    throw new HttpError(400, `Last-Event-ID must be an event id (a non-negative integer), not "${String(header)}"`);
  }
  return Number(header.trim());
}

export async function streamExecution(deps: NexusDeps, reply: FastifyReply, executionId: string, after: number, headers: Record<string, string> = {}) {
  const sse = new Sse(reply, headers);
  deps.streams.add(sse);
  sse.onClose(() => deps.streams.delete(sse));
  try {
    await followExecution(deps.hub, deps.events, deps.executions, {
      executionId,
      after,
      send: (e) => sse.send(e.type, e.data, e.seq),
      closed: () => sse.isClosed,
      onClose: (cb) => sse.onClose(cb),
    });
  } catch (error) {
    sse.send("error", { message: `stream interrupted: ${(error as Error).message}; reconnect with Last-Event-ID` });
  }
  sse.end();
}
