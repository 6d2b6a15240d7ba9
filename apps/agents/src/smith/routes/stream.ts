// GET /api/v1/sessions/:id/stream: the session's output as SSE from any byte offset, live and after
// the session ended. Event ids are offsets: a client that reconnects with Last-Event-ID (or
// ?offset=) receives exactly the bytes it missed.
import { errorBody, smithSessionParams, smithStreamQuery } from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { HttpError } from "../../shared/errors";
import { callerOf, sseResponse } from "../../shared/server";
import { LogReader } from "../services/log-reader";
import type { SessionManager } from "../services/session-manager";
import { SseStream } from "../services/sse";

export function streamRoutes(app: FastifyInstance, sessions: SessionManager) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/sessions/:id/stream",
    {
      schema: {
        summary: "Output as SSE: `output` events {offset, bytes, data} with id = next offset, then `end` {status, exit_code, output_bytes}",
        params: smithSessionParams,
        querystring: smithStreamQuery,
        response: { 200: sseResponse("`output` events {offset, bytes, data}, id = next offset, then `end` {status, exit_code, output_bytes}"), 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const organizationId = callerOf(request).organizationId;
      const lastEventId = request.headers["last-event-id"];
      const fromHeader = typeof lastEventId === "string" && /^\d+$/.test(lastEventId) ? Number(lastEventId) : undefined;
      const offset = request.query.offset ?? fromHeader ?? 0;
      const { log } = await sessions.openLog(organizationId, request.params.id);
      if (offset > log.size) {
        log.release();
        throw new HttpError(400, `offset ${offset} is beyond the session's output (${log.size} bytes so far)`);
      }
      const base64 = request.query.encoding === "base64";
      const sse = new SseStream(reply);
      sse.send("open", JSON.stringify({ session_id: request.params.id, offset, output_bytes: log.size }));
      let released = false;
      const release = () => {
        if (!released) log.release();
        released = true;
      };
      const reader = new LogReader(
        log,
        offset,
        {
          ready: () => sse.ready(),
          onReady: (cb) => sse.onDrain(cb),
          send: (chunk, at) => {
            const data = base64 ? chunk.toString("base64") : chunk.toString("utf8");
            sse.send("output", JSON.stringify({ offset: at, bytes: chunk.length, data }), at + chunk.length);
          },
          finish: () => {
            void sessions
              .body(organizationId, request.params.id)
              .then((s) => sse.send("end", JSON.stringify({ status: s.status, exit_code: s.exit_code, output_bytes: log.size }), log.size))
              .catch(() => undefined)
              .finally(() => {
                sse.end();
                release();
              });
          },
        },
        { textSafe: !base64 },
      );
      sse.onClose(() => {
        reader.close();
        release();
      });
    },
  );
}
