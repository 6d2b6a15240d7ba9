import type Anthropic from "@anthropic-ai/sdk";
import { type ApiErrorType, defaultErrorMessage, errorTypeOfStatus, statusOfErrorType } from "./api-errors";
import { type MessagesCall } from "./recorded-request";

// What the server answers one request with. Tests build these with `reply.*`; the server turns a
// message reply into a `message` JSON or an SSE stream depending on the request's `stream`.

export type BlockSpec =
  | { type: "text"; text: string }
  | { type: "tool_use"; name: string; input: Record<string, unknown>; id?: string }
  | { type: "thinking"; thinking: string; signature?: string };

/** Usage to report; anything left out is computed from the request and reply (about 4 chars a token). */
export interface UsageSpec {
  inputTokens?: number;
  outputTokens?: number;
  /** Tokens written to the cache; split by TTL with `cacheCreation1hInputTokens` (the rest is 5m). */
  cacheCreationInputTokens?: number;
  cacheCreation1hInputTokens?: number;
  cacheReadInputTokens?: number;
}

export interface StreamSpec {
  /** Characters (of text, thinking or tool input JSON) per delta. */
  chunkChars?: number;
  /** Pause before each delta, so tests can observe streaming and time-to-first-token. */
  deltaDelayMs?: number;
  /** Send an SSE `error` event after this many deltas and end the response. */
  failAfterDeltas?: number;
  failWith?: { type: ApiErrorType; message?: string };
  /** Stop sending after this many deltas and keep the connection open until the client gives up. */
  hangAfterDeltas?: number;
}

export interface MessageOptions {
  usage?: UsageSpec;
  stopReason?: Anthropic.StopReason;
  /** Wait this long before the first byte of the response (headers included). */
  delayMs?: number;
  stream?: StreamSpec;
}

export type Reply =
  | ({ kind: "message"; blocks: BlockSpec[] } & MessageOptions)
  | { kind: "error"; status: number; type: ApiErrorType; message: string; retryAfter?: number; headers?: Record<string, string>; delayMs?: number }
  | { kind: "hang"; delayMs?: number };

/** A reply, or a function choosing one from the request (e.g. to use a path from the system prompt). */
export type ReplySource = Reply | ((call: MessagesCall) => Reply);

export interface ErrorOptions {
  type?: ApiErrorType;
  message?: string;
  /** Seconds, sent as `retry-after` (fractions allowed: the SDK parses them). */
  retryAfter?: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

export const block = {
  text: (text: string): BlockSpec => ({ type: "text", text }),
  toolUse: (name: string, input: Record<string, unknown>, id?: string): BlockSpec => ({ type: "tool_use", name, input, id }),
  thinking: (thinking: string, signature?: string): BlockSpec => ({ type: "thinking", thinking, signature }),
};

export const reply = {
  text: (text: string, options: MessageOptions = {}): Reply => ({ kind: "message", blocks: [block.text(text)], ...options }),
  /** One tool call, optionally preceded by text ("I'll write the file."). Stop reason `tool_use`. */
  toolUse: (name: string, input: Record<string, unknown>, options: MessageOptions & { text?: string; id?: string } = {}): Reply => {
    const { text, id, ...rest } = options;
    return { kind: "message", blocks: [...(text ? [block.text(text)] : []), block.toolUse(name, input, id)], ...rest };
  },
  blocks: (blocks: BlockSpec[], options: MessageOptions = {}): Reply => ({ kind: "message", blocks, ...options }),
  thinking: (thinking: string, text: string, options: MessageOptions = {}): Reply => ({
    kind: "message",
    blocks: [block.thinking(thinking), block.text(text)],
    ...options,
  }),
  error: (status: number, options: ErrorOptions = {}): Reply => {
    const type = options.type ?? errorTypeOfStatus(status);
    const { delayMs, retryAfter, headers } = options;
    return { kind: "error", status, type, message: options.message ?? defaultErrorMessage(type), retryAfter, headers, delayMs };
  },
  rateLimited: (retryAfter = 1, message?: string): Reply =>
    reply.error(statusOfErrorType.rate_limit_error, { type: "rate_limit_error", retryAfter, message }),
  overloaded: (message?: string): Reply => reply.error(statusOfErrorType.overloaded_error, { type: "overloaded_error", message }),
  /** Never answers; the request ends only when the client aborts (or the server closes). */
  hang: (delayMs?: number): Reply => ({ kind: "hang", delayMs }),
  /** Streams `text` and fails with an SSE `error` event after `afterDeltas` deltas. */
  failMidStream: (text: string, afterDeltas: number, failWith?: StreamSpec["failWith"], options: MessageOptions = {}): Reply => ({
    kind: "message",
    blocks: [block.text(text)],
    ...options,
    stream: { chunkChars: 4, ...options.stream, failAfterDeltas: afterDeltas, failWith },
  }),
};
