// OpenTelemetry GenAI spans (OTLP/JSON) -> usage records. Per the semantic conventions
// `gen_ai.usage.input_tokens` includes cached tokens, while Anthropic's own `input_tokens` does not;
// when the reported input covers the cache counts we subtract them so nothing is counted twice.
import { costOf, priceTable } from "./pricing";
import type { UsageRecord } from "./usage-record";

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
interface Span {
  traceId?: string;
  spanId?: string;
  name?: string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: { key: string; value: AnyValue }[];
  status?: { code?: number | string };
}
export interface OtlpBody {
  resourceSpans?: { resource?: { attributes?: { key: string; value: AnyValue }[] }; scopeSpans?: { spans?: Span[] }[] }[];
}

const valueOf = (v: AnyValue | undefined) =>
  v === undefined ? undefined : (v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue)));

function attrs(list: { key: string; value: AnyValue }[] | undefined) {
  const out = new Map<string, unknown>();
  for (const a of list ?? []) if (a && typeof a.key === "string") out.set(a.key, valueOf(a.value));
  return out;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0);
const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);

export function spansToUsage(body: OtlpBody): { records: UsageRecord[]; skipped: number } {
  const records: UsageRecord[] = [];
  let skipped = 0;
  for (const rs of body.resourceSpans ?? []) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const a = attrs(span.attributes);
        const get = (k: string) => a.get(k) ?? resource.get(k);
        const model = str(get("gen_ai.response.model")) ?? str(get("gen_ai.request.model"));
        const session = str(get("session.id")) ?? str(get("gen_ai.conversation.id"));
        const endNs = Number(span.endTimeUnixNano ?? span.startTimeUnixNano);
        if (!model || !session || !span.spanId || !Number.isFinite(endNs) || endNs <= 0) {
          skipped++;
          continue;
        }
        const cacheRead = num(get("gen_ai.usage.cache_read.input_tokens") ?? get("gen_ai.usage.cache_read_input_tokens"));
        const cacheWrite = num(get("gen_ai.usage.cache_creation.input_tokens") ?? get("gen_ai.usage.cache_creation_input_tokens"));
        const reported = num(get("gen_ai.usage.input_tokens"));
        const input = reported >= cacheRead + cacheWrite ? reported - cacheRead - cacheWrite : reported;
        const startNs = Number(span.startTimeUnixNano);
        const record: UsageRecord = {
          eventId: `otel:${span.traceId ?? ""}:${span.spanId}`,
          sessionId: session,
          source: "otel",
          model,
          messageId: str(get("gen_ai.response.id")) ?? null,
          requestId: null,
          isSidechain: false,
          input,
          output: num(get("gen_ai.usage.output_tokens")),
          cacheWrite5m: cacheWrite,
          cacheWrite1h: 0,
          cacheRead,
          fast: false,
          costUsd: null,
          costSource: "unpriced",
          priceVersion: null,
          latencyMs: Number.isFinite(startNs) && startNs > 0 ? Math.round((endNs - startNs) / 1e6) : null,
          ttftMs: null,
          executionId: str(get("kayos.execution.id")) ?? null,
          agentId: str(get("gen_ai.agent.id")) ?? str(get("kayos.agent.id")) ?? null,
          isError: span.status?.code === 2 || span.status?.code === "STATUS_CODE_ERROR" || get("error.type") !== undefined,
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
