import { defaultErrorMessage, statusOfErrorType } from "./api-errors";
import { type Exchange } from "./exchange";
import { type MessagesCall } from "./recorded-request";
import { renderMessage } from "./render-message";
import { type Reply } from "./replies";
import { streamMessage } from "./sse";

export interface Pacing {
  chunkChars: number;
  deltaDelayMs: number;
}

/** Headers the API sends with Messages responses; a 429 reports the exhausted request budget. */
export function rateLimitHeaders(exhausted: boolean): Record<string, string> {
  const reset = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, "Z");
  const budget = (name: string, limit: number): Record<string, string> => ({
    [`anthropic-ratelimit-${name}-limit`]: String(limit),
    [`anthropic-ratelimit-${name}-remaining`]: String(exhausted && name === "requests" ? 0 : limit - 1),
    [`anthropic-ratelimit-${name}-reset`]: reset,
  });
  return { ...budget("requests", 4000), ...budget("input-tokens", 2_000_000), ...budget("output-tokens", 400_000), ...budget("tokens", 2_400_000) };
}

/** Sends a reply to a valid Messages request: JSON or SSE per the request, errors and stalls as scripted. */
export async function answer(exchange: Exchange, reply: Reply, call: MessagesCall, pacing: Pacing): Promise<void> {
  await exchange.sleep(reply.delayMs ?? 0);
  if (exchange.closed) return;
  if (reply.kind === "hang") return exchange.untilClosed();
  if (reply.kind === "error") {
    const retryAfter: Record<string, string> = reply.retryAfter === undefined ? {} : { "retry-after": String(reply.retryAfter) };
    const headers = { ...rateLimitHeaders(reply.status === 429), ...retryAfter, ...reply.headers };
    return exchange.error(reply.status, reply.type, reply.message, headers);
  }
  const message = renderMessage(reply, call);
  const stream = { ...pacing, ...reply.stream };
  if (call.body.stream === true) return streamMessage(exchange, message, stream, rateLimitHeaders(false));
  // Failures scripted "mid-stream" can only happen before the body of a JSON reply.
  if (stream.failAfterDeltas !== undefined) {
    const type = stream.failWith?.type ?? "overloaded_error";
    return exchange.error(statusOfErrorType[type], type, stream.failWith?.message ?? defaultErrorMessage(type));
  }
  if (stream.hangAfterDeltas !== undefined) return exchange.untilClosed();
  exchange.json(200, message, rateLimitHeaders(false));
}
