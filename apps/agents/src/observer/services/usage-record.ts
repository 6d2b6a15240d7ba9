// One model response as the observer stores it, whatever it came from (transcript, usage event, span).
export interface UsageRecord {
  eventId: string;
  sessionId: string;
  source: string;
  model: string;
  messageId: string | null;
  requestId: string | null;
  isSidechain: boolean;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  fast: boolean;
  costUsd: number | null;
  costSource: "computed" | "reported" | "unpriced";
  priceVersion: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  executionId: string | null;
  agentId: string | null;
  isError: boolean;
  /** tool_use id (or ordinal) -> tool name; merged across the lines of one response. */
  tools: Record<string, string> | null;
  timestamp: Date;
}

export const tokenTotal = (r: Pick<UsageRecord, "input" | "output" | "cacheWrite5m" | "cacheWrite1h" | "cacheRead">) =>
  r.input + r.output + r.cacheWrite5m + r.cacheWrite1h + r.cacheRead;
