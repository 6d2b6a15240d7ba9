// Log ingest (single, array or {entries}; per-entry results; idempotent by event_id), paged reads
// with filters, and a live tail over SSE.
import {
  INGEST_MAX_BYTES,
  errorBody as errorBodySchema,
  ingestResult,
  logEntryInput,
  logsPage as logsPageSchema,
  logsQuery,
  text,
  type LogEntryInput,
} from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HttpError } from "../../shared/errors";
import { callerOf, sseResponse } from "../../shared/server";
import type { ObserverContext } from "../context";
import { entriesOf, plainLogEntry, summarize, validateEach } from "../services/ingest";
import type { CommittedLog, LogRow } from "../store/log-writer";
import { logsAfter, logsPage, requireSession } from "../store/logs";

const sessionParams = z.object({ session_id: text().min(1).max(200) });

export function logRoutes(app: FastifyInstance, ctx: ObserverContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/api/v1/logs/ingest",
    {
      bodyLimit: INGEST_MAX_BYTES,
      schema: {
        summary: "Store log lines: one entry, an array, or {entries: [...]}; answered after commit",
        response: { 200: ingestResult, 400: errorBodySchema, 413: errorBodySchema },
      },
      // The handler builds the body from the contract's type; re-validating 10,000 results on the way out is waste.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      const org = callerOf(request).organizationId;
      const items = entriesOf(request.body, "entries");
      const { valid, invalid } = validateEach(items, logEntryInput, (e: LogEntryInput) => e.timestamp, plainLogEntry);
      const single = !Array.isArray(request.body) && !(request.body as { entries?: unknown }).entries;
      if (valid.length === 0) {
        const issues = invalid.flatMap((i) => i.errors.map((e) => ({ path: single ? e.path : `${i.index}.${e.path}`, message: e.message })));
        throw new HttpError(400, `Invalid log entr${single ? "y" : "ies"}: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`, issues);
      }
      const rows: LogRow[] = valid.map(({ value: e, at }) => ({
        organizationId: org,
        sessionId: e.session_id,
        eventId: e.event_id ?? null,
        level: e.level ?? "info",
        source: e.source ?? "",
        logLine: e.log_line,
        attributes: e.attributes ?? null,
        timestamp: at.toISOString(),
      }));
      const stored = await ctx.logs.write(rows);
      return summarize(
        items.length,
        invalid,
        valid.map((v, i) => ({ index: v.index, eventId: v.value.event_id, status: stored[i] ? "stored" : "duplicate" })),
      );
    },
  );

  api.get(
    "/api/v1/logs/session/:session_id",
    {
      schema: {
        summary: "A session's log lines in time order, cursor-paginated, filterable by level, source and time",
        params: sessionParams,
        querystring: logsQuery,
        response: { 200: logsPageSchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const org = callerOf(request).organizationId;
      const { session_id } = request.params;
      const page = await logsPage(ctx.pool, org, session_id, request.query);
      if (page.entries.length === 0) await requireSession(ctx.pool, org, session_id);
      return { session_id, ...page };
    },
  );

  api.get(
    "/api/v1/logs/session/:session_id/tail",
    {
      schema: {
        summary: "Live tail (SSE): stored lines after Last-Event-ID (or ?after=), then new lines as they commit",
        params: sessionParams,
        querystring: z.object({ after: z.string().regex(/^\d+$/).optional() }),
        response: { 200: sseResponse("`log` events (a stored line), id = its sequence number"), 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const org = callerOf(request).organizationId;
      const { session_id } = request.params;
      await requireSession(ctx.pool, org, session_id);
      const header = request.headers["last-event-id"];
      let last = typeof header === "string" && /^\d+$/.test(header) ? header : (request.query.after ?? "0");
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      let busy = false;
      let again = false;
      let closed = false;
      const pump = async () => {
        if (busy) return void (again = true);
        busy = true;
        try {
          do {
            again = false;
            const entries = await logsAfter(ctx.pool, org, session_id, last);
            for (const e of entries) res.write(`id: ${e.id}\nevent: log\ndata: ${JSON.stringify(e)}\n\n`);
            if (entries.length > 0) last = entries[entries.length - 1]!.id;
            if (entries.length === 1000) again = true;
          } while (again && !closed);
        } catch (error) {
          request.log.warn({ err: error }, "log tail query failed");
        } finally {
          busy = false;
        }
      };
      const onCommit = (rows: CommittedLog[] | "*") => {
        if (rows === "*" || rows.some((r) => r.organizationId === org && r.sessionId === session_id)) void pump();
      };
      // The heartbeat also looks for lines, in case a notification was lost.
      const heartbeat = setInterval(() => {
        res.write(": keep-alive\n\n");
        void pump();
      }, 15_000);
      ctx.logs.on("committed", onCommit);
      request.raw.on("close", () => {
        closed = true;
        clearInterval(heartbeat);
        ctx.logs.off("committed", onCommit);
      });
      await pump();
    },
  );
}
