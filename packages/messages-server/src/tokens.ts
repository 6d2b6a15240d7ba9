import { type CountTokensRequest } from "./request-schema";

// Token counts are approximations (about four characters a token), deterministic so tests can
// assert them; never zero, as the real API never reports zero output tokens.
export function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(textOf).join(" ");
  if (value && typeof value === "object") return Object.values(value).map(textOf).join(" ");
  return "";
}

/** Input tokens of a request: system, messages and tool definitions. */
export function countInputTokens(request: CountTokensRequest): number {
  const parts = [textOf(request.system), textOf(request.messages), request.tools ? JSON.stringify(request.tools) : ""];
  return approxTokens(parts.join(" "));
}
