// One model call's usage: added to the execution's totals and reported to Observer.
import type { UsageEventInput } from "@kayos/contracts";
import { randomUUID } from "node:crypto";
import { costOf } from "../../observer/services/pricing";
import type { ExecutionTotals } from "../store/executions";
import type { CallUsage } from "./claude";

/** Adds the call to the totals; returns its cost, or null for a model missing from the price table. */
export function addUsage(totals: ExecutionTotals, u: CallUsage): number | null {
  const cost = costOf({ model: u.model, input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite5m: u.cacheWrite5m, cacheWrite1h: u.cacheWrite1h });
  totals.inputTokens += u.input;
  totals.outputTokens += u.output;
  totals.cacheReadTokens += u.cacheRead;
  totals.cacheWriteTokens += u.cacheWrite5m + u.cacheWrite1h;
  totals.modelCalls += 1;
  totals.costUsd += cost ?? 0;
  if (cost === null && !totals.unpricedModels.includes(u.model)) totals.unpricedModels.push(u.model);
  return cost;
}

export function usageEvent(u: CallUsage, cost: number | null, at: { executionId: string; sessionId: string; agentType: string }): UsageEventInput & { event_id: string } {
  return {
    // Unique per call; a redelivered batch carries the same ids, so Observer stores each call once.
    event_id: `nexus:${at.executionId}:${randomUUID()}`,
    session_id: at.sessionId,
    model: u.model,
    timestamp: new Date().toISOString(),
    input_tokens: u.input,
    output_tokens: u.output,
    cache_read_tokens: u.cacheRead,
    cache_write_5m_tokens: u.cacheWrite5m,
    cache_write_1h_tokens: u.cacheWrite1h,
    ...(cost !== null ? { cost_usd: cost } : {}),
    latency_ms: u.latencyMs,
    ...(u.ttftMs !== null ? { ttft_ms: u.ttftMs } : {}),
    execution_id: at.executionId,
    agent_id: at.agentType,
    source: "nexus",
    is_error: u.isError,
    ...(u.toolCalls.length > 0 ? { tool_calls: u.toolCalls } : {}),
  };
}
