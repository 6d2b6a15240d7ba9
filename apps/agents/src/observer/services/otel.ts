// OpenTelemetry GenAI spans (OTLP/JSON) -> usage records. Per the semantic conventions
// `gen_ai.usage.input_tokens` includes cached tokens, while Anthropic's own `input_tokens` does not;
// when the reported input covers the cache counts we subtract them so nothing is counted twice.
import { isText } from "@kayos/contracts";
import { costOf, priceTable } from "./pricing";
import type { UsageRecord } from "./usage-record";

// An OTLP/JSON export arrives as whatever the exporter sent: every level is checked here, and a span
// that cannot be read (or holds values no store could keep) is skipped and counted, never a 500.
type Json = Record<string, unknown>;
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === "object" && x !== null && !Array.isArray(x)) : []);
const holes = (v: unknown) => (Array.isArray(v) ? v.length - objects(v).length : 0);

function valueOf(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return undefined;
  const { stringValue, intValue, doubleValue, boolValue } = v as Json;
  if (typeof stringValue === "string") return stringValue;
  if (typeof intValue === "string" || typeof intValue === "number") return Number(intValue);
  return typeof doubleValue === "number" || typeof boolValue === "boolean" ? (doubleValue ?? boolValue) : undefined;
}

function attrs(list: unknown) {
  const out = new Map<string, unknown>();
  for (const a of objects(list)) if (typeof a.key === "string") out.set(a.key, valueOf(a.value));
  return out;
}

const MAX_TOKENS = 2_000_000_000;
const MAX_LATENCY_MS = 2 ** 31 - 1;
const LAST_INSTANT_MS = Date.UTC(10000, 0, 1);
/** A token count: absent is 0; a negative or absurd one makes the span unreadable (NaN). */
const count = (v: unknown) => (v === undefined ? 0 : typeof v === "number" && v >= 0 && v <= MAX_TOKENS ? Math.round(v) : NaN);
const str = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= 200 && isText(v) ? v : undefined);
const nanos = (v: unknown) => (typeof v === "string" || typeof v === "number" ? Number(v) : NaN);

export function spansToUsage(body: { resourceSpans?: unknown }): { records: UsageRecord[]; skipped: number } {
  const records: UsageRecord[] = [];
  let skipped = 0;
  skipped += holes(body.resourceSpans);
  for (const rs of objects(body.resourceSpans)) {
    const resource = attrs((rs.resource as Json | undefined)?.attributes);
    skipped += holes(rs.scopeSpans);
    for (const ss of objects(rs.scopeSpans)) {
      skipped += holes(ss.spans);
      for (const span of objects(ss.spans)) {
        const a = attrs(span.attributes);
        const get = (k: string) => a.get(k) ?? resource.get(k);
        const model = str(get("gen_ai.response.model")) ?? str(get("gen_ai.request.model"));
        const session = str(get("session.id")) ?? str(get("gen_ai.conversation.id"));
        const spanId = str(span.spanId);
        const startNs = nanos(span.startTimeUnixNano);
        const endNs = span.endTimeUnixNano === undefined ? startNs : nanos(span.endTimeUnixNano);
        const tokens = [
          "gen_ai.usage.cache_read.input_tokens",
          "gen_ai.usage.cache_read_input_tokens",
          "gen_ai.usage.cache_creation.input_tokens",
          "gen_ai.usage.cache_creation_input_tokens",
          "gen_ai.usage.input_tokens",
          "gen_ai.usage.output_tokens",
        ].map((k) => count(get(k)));
        if (!model || !session || !spanId || !(endNs > 0 && endNs / 1e6 < LAST_INSTANT_MS) || tokens.some(Number.isNaN)) {
          skipped++;
          continue;
        }
        const [readNew, readOld, writeNew, writeOld, reported, output] = tokens as [number, number, number, number, number, number];
        const cacheRead = readNew || readOld;
        const cacheWrite = writeNew || writeOld;
        const input = reported >= cacheRead + cacheWrite ? reported - cacheRead - cacheWrite : reported;
        // A start after the end, or a latency no clock measured, is not a latency.
        const latency = startNs > 0 && startNs <= endNs ? Math.round((endNs - startNs) / 1e6) : null;
        const status = (span.status ?? {}) as Json;
        const record: UsageRecord = {
          eventId: `otel:${str(span.traceId) ?? ""}:${spanId}`,
          sessionId: session,
          source: "otel",
          model,
          messageId: str(get("gen_ai.response.id")) ?? null,
          requestId: null,
          isSidechain: false,
          input,
          output,
          cacheWrite5m: cacheWrite,
          cacheWrite1h: 0,
          cacheRead,
          fast: false,
          costUsd: null,
          costSource: "unpriced",
          priceVersion: null,
          latencyMs: latency !== null && latency <= MAX_LATENCY_MS ? latency : null,
          ttftMs: null,
          executionId: str(get("kayos.execution.id")) ?? null,
          agentId: str(get("gen_ai.agent.id")) ?? str(get("kayos.agent.id")) ?? null,
          isError: status.code === 2 || status.code === "STATUS_CODE_ERROR" || get("error.type") !== undefined,
          tools: null,
          timestamp: new Date(endNs / 1e6),
        };
        const cost = costOf(record);
        Object.assign(record, { costUsd: cost, costSource: cost === null ? "unpriced" : "computed", priceVersion: cost === null ? null : priceTable.version });
        records.push(record);
      }
    }
  }
  return { records, skipped };
}
