// Small pure helpers of the runner: execution totals and the failure message a caller may see.
import type { ExecutionRow, ExecutionTotals } from "../store/executions";

export function zeroTotals(): ExecutionTotals {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, modelCalls: 0, costUsd: 0, unpricedModels: [], ttftMs: null };
}

export function totalsOf(row: ExecutionRow): ExecutionTotals {
  return {
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    modelCalls: row.modelCalls,
    costUsd: Number(row.costUsd),
    unpricedModels: [...row.unpricedModels],
    ttftMs: row.ttftMs,
  };
}

/** What the caller sees of a failure: model, graph and node errors as they are; our own internals never. */
export function messageOf(error: unknown, log: (error: unknown) => void): string {
  const prisma = error instanceof Error && (error.name.startsWith("PrismaClient") || /^P\d{4}$/.test(String((error as { code?: unknown }).code)));
  if (error instanceof Error && !prisma) return error.message;
  log(error);
  return "Nexus failed internally while running this execution; see the service log";
}
