// Usage events from Nexus and Smith, OpenTelemetry GenAI spans, and Claude Code transcripts.
import {
  errorBody as errorBodySchema,
  ingestResult,
  INGEST_MAX_BYTES,
  transcriptImportResult,
  text,
  usageEventInput,
} from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HttpError } from "../../shared/errors";
import { callerOf } from "../../shared/server";
import type { ObserverContext } from "../context";
import { parseTranscript } from "../services/claude-transcript";
import { entriesOf, summarize, validateEach } from "../services/ingest";
import { spansToUsage } from "../services/otel";
import { costOf, priceTable } from "../services/pricing";
import type { UsageRecord } from "../services/usage-record";
import { sessionTotals, upsertUsage } from "../store/usage";

const TRANSCRIPT_MAX_BYTES = 256 * 1024 * 1024;

export function usageRoutes(app: FastifyInstance, ctx: ObserverContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addContentTypeParser(["application/x-ndjson", "application/jsonl", "text/plain"], { parseAs: "buffer", bodyLimit: TRANSCRIPT_MAX_BYTES }, (_req, body, done) => done(null, body));

  api.post(
    "/api/v1/usage/ingest",
    {
      bodyLimit: INGEST_MAX_BYTES,
      schema: {
        summary: "Model calls from Nexus and Smith: one event, an array, or {events: [...]}; idempotent by event_id",
        response: { 200: ingestResult, 400: errorBodySchema, 413: errorBodySchema },
      },
    },
    async (request) => {
      const org = callerOf(request).organizationId;
      const items = entriesOf(request.body, "events");
      const { valid, invalid } = validateEach(items, usageEventInput, (e) => e.timestamp);
      if (valid.length === 0) {
        const issues = invalid.flatMap((i) => i.errors.map((e) => ({ path: `${i.index}.${e.path}`, message: e.message })));
        throw new HttpError(400, `Invalid usage events: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`, issues);
      }
      const byId = new Map<string, UsageRecord>();
      for (const { value: e, at } of valid) {
        const record: UsageRecord = {
          eventId: `api:${e.event_id}`,
          sessionId: e.session_id,
          source: e.source,
          model: e.model,
          messageId: null,
          requestId: null,
          isSidechain: false,
          input: e.input_tokens,
          output: e.output_tokens,
          cacheWrite5m: e.cache_write_5m_tokens,
          cacheWrite1h: e.cache_write_1h_tokens,
          cacheRead: e.cache_read_tokens,
          fast: e.fast ?? false,
          costUsd: e.cost_usd ?? null,
          costSource: "reported",
          priceVersion: null,
          latencyMs: e.latency_ms ?? null,
          ttftMs: e.ttft_ms ?? null,
          executionId: e.execution_id ?? null,
          agentId: e.agent_id ?? null,
          isError: e.is_error ?? false,
          tools: e.tool_calls ? Object.fromEntries(e.tool_calls.map((t, i) => [`#${i}`, t])) : null,
          timestamp: at,
        };
        if (e.cost_usd === undefined) {
          const cost = costOf(record);
          record.costUsd = cost;
          record.costSource = cost === null ? "unpriced" : "computed";
          record.priceVersion = cost === null ? null : priceTable.version;
        }
        if (!byId.has(record.eventId)) byId.set(record.eventId, record);
      }
      const written = await upsertUsage(ctx.pool, org, [...byId.values()]);
      // An event repeated within one batch is a duplicate of its first copy.
      const seen = new Set<string>();
      return summarize(
        items.length,
        invalid,
        valid.map((v) => {
          const id = `api:${v.value.event_id}`;
          const first = !seen.has(id);
          seen.add(id);
          const status = !first ? "duplicate" : written.inserted.has(id) ? "stored" : written.updated.has(id) ? "updated" : "duplicate";
          return { index: v.index, eventId: v.value.event_id, status };
        }),
      );
    },
  );

  api.post(
    "/api/v1/otel/spans",
    {
      bodyLimit: INGEST_MAX_BYTES,
      schema: {
        summary: "OpenTelemetry GenAI spans (OTLP/JSON export body); gen_ai.usage.* become usage events",
        body: z.object({ resourceSpans: z.array(z.unknown()) }).passthrough(),
        response: { 200: z.object({ spans: z.number().int(), stored: z.number().int(), skipped: z.number().int() }) },
      },
    },
    async (request) => {
      const org = callerOf(request).organizationId;
      const { records, skipped } = spansToUsage(request.body);
      const stored = (await upsertUsage(ctx.pool, org, records)).insertedCount;
      return { spans: records.length + skipped, stored, skipped };
    },
  );

  api.post(
    "/api/v1/transcripts/claude-code",
    {
      bodyLimit: TRANSCRIPT_MAX_BYTES,
      schema: {
        summary: "Import one Claude Code JSONL transcript (application/x-ndjson); repeat per file",
        querystring: z.object({
          session_id: text().min(1).max(200).optional().describe("for lines without sessionId"),
          attribute_to: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe("count every response under this session instead of the transcript's own (Smith's session that ran the CLI)"),
          streaming: z.enum(["true", "false"]).default("false").describe("true: leave an unterminated last line for the next call"),
          offset: z.coerce.number().int().min(0).default(0).describe("byte offset of this body in the file (echoed in next_offset)"),
        }),
        response: { 200: transcriptImportResult, 400: errorBodySchema, 413: errorBodySchema },
      },
    },
    async (request) => {
      const org = callerOf(request).organizationId;
      if (!Buffer.isBuffer(request.body)) throw new HttpError(415, "Send the transcript as application/x-ndjson text");
      const parsed = parseTranscript(request.body, {
        session: request.query.session_id,
        complete: request.query.streaming !== "true",
      });
      const { stats, nextOffset } = parsed;
      const target = request.query.attribute_to;
      const records = target ? parsed.records.map((r) => ({ ...r, sessionId: target })) : parsed.records;
      const stored = (await upsertUsage(ctx.pool, org, records)).insertedCount;
      const sessions = [...new Set(records.map((r) => r.sessionId))];
      return {
        lines: stats.lines,
        usage_lines: stats.usageLines,
        responses: records.length,
        skipped: { malformed: stats.malformed, synthetic: stats.synthetic, invalid: stats.invalid },
        stored,
        next_offset: request.query.offset + nextOffset,
        sessions: await sessionTotals(ctx.pool, org, sessions),
      };
    },
  );
}
