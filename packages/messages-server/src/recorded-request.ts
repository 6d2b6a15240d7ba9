import { type MessageParam, type MessagesRequest } from "./request-schema";

/** Every request the server received, in order, as the client sent it (secrets redacted). */
export interface RecordedRequest {
  id: string;
  method: string;
  /** Path without the query, e.g. `/v1/messages`. */
  path: string;
  /** True for `?beta=true` (Claude Code sends every request that way). */
  beta: boolean;
  headers: Record<string, string>;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: unknown;
  receivedAt: Date;
  /** Filled in when answered: the status sent and what produced it. */
  status?: number;
  handledBy?: "script" | "default" | "rejected" | "server";
}

/** A valid `POST /v1/messages`: what predicates and reply functions receive. */
export interface MessagesCall extends RecordedRequest {
  body: MessagesRequest;
}

const secretHeaders = new Set(["x-api-key", "authorization", "proxy-authorization", "cookie"]);

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = secretHeaders.has(name) ? "[redacted]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** The text blocks of a message's content, joined by newlines. */
export function textOfContent(content: MessageParam["content"]): string {
  if (typeof content === "string") return content;
  return content
    .filter((block) => block.type === "text")
    .map((block) => String(block.text))
    .join("\n");
}

/** The last user turn's text (Claude Code's reminders included), or "" if it holds only tool results. */
export function lastUserText(body: MessagesRequest): string {
  const last = body.messages.findLast((message) => message.role === "user");
  return last ? textOfContent(last.content) : "";
}

/** The tool_result blocks of the last user turn, with the name of the tool each one answers. */
export function lastToolResults(body: MessagesRequest): { toolUseId: string; toolName?: string; isError: boolean; content: unknown }[] {
  const last = body.messages.at(-1);
  if (!last || last.role !== "user" || typeof last.content === "string") return [];
  const toolNames = new Map<string, string>();
  for (const message of body.messages) {
    if (typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type === "tool_use") toolNames.set(String(block.id), String(block.name));
    }
  }
  return last.content
    .filter((block) => block.type === "tool_result")
    .map((block) => ({
      toolUseId: String(block.tool_use_id),
      toolName: toolNames.get(String(block.tool_use_id)),
      isError: block.is_error === true,
      content: block.content,
    }));
}

/** The text of `system` (string or blocks). */
export function systemText(body: MessagesRequest): string {
  const system = body.system;
  if (system === undefined) return "";
  return typeof system === "string" ? system : system.map((block) => block.text).join("\n");
}
