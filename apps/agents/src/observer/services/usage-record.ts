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

type TokenField = "input" | "output" | "cacheWrite5m" | "cacheWrite1h" | "cacheRead";

export const tokenTotal = (r: Pick<UsageRecord, TokenField>) =>
  r.input + r.output + r.cacheWrite5m + r.cacheWrite1h + r.cacheRead;

type Ranked = Pick<UsageRecord, TokenField | "isSidechain" | "fast">;

/** Which copy of a response is kept (the store's rule too): main chain over sidechain, then the larger token total, then fast-mode data. */
export function better(candidate: Ranked, existing: Ranked): boolean {
  if (candidate.isSidechain !== existing.isSidechain) return existing.isSidechain;
  const c = tokenTotal(candidate);
  const e = tokenTotal(existing);
  if (c !== e) return c > e;
  return candidate.fast && !existing.fast;
}
