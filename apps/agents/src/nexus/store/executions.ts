// Executions: one row per agent run, scoped by organization; another organization's ids are unknown.
import type { ExecutionStatus, ExecutionView } from "@kayos/contracts";
import { Prisma, type AgentsDb, type Execution } from "@kayos/db/agents";
import { HttpError } from "../../shared/errors";
import { beat, claim, insertConversationTurn, insertExecution, orphans, release, takeAnswer, type Pool } from "./sql";

export type ExecutionRow = Execution;

export interface NewExecution {
  id: string;
  organizationId: string;
  agentType: string;
  conversationId: string | null;
  definitionId: string | null;
  model: string | null;
  input: unknown;
}

export interface ExecutionTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  modelCalls: number;
  costUsd: number;
  unpricedModels: string[];
  ttftMs: number | null;
}

export class ExecutionStore {
  constructor(
    private readonly db: AgentsDb,
    private readonly pool: Pool,
  ) {}

  create(e: NewExecution) {
    return insertExecution(this.pool, e);
  }

  /**
   * Records an execution that continues a stored conversation, one at a time: 409 naming the
   * execution still writing the conversation's previous reply (nothing is stored), 404 without it.
   */
  async createTurn(e: NewExecution & { conversationId: string }) {
    const turn = await insertConversationTurn(this.pool, e);
    if (turn.stored) return;
    if (turn.busyWith === null) throw new HttpError(404, `No conversation ${e.conversationId}`);
    throw new HttpError(
      409,
      `A reply is still being written in conversation ${e.conversationId} (execution ${turn.busyWith}); send the next message once it has finished, or stop it with POST /api/v1/agents/${turn.busyWith}/stop`,
    );
  }

  async get(organizationId: string, id: string): Promise<ExecutionRow> {
    const row = await this.db.execution.findFirst({ where: { id, organizationId } });
    if (!row) throw new HttpError(404, `No execution ${id}`);
    return row;
  }

  find(id: string) {
    return this.db.execution.findUnique({ where: { id } });
  }

  /** Ends a running execution; false when it had already ended (nothing is overwritten). */
  async finish(id: string, status: ExecutionStatus, fields: { result?: Prisma.InputJsonValue; error?: string | null; totals: ExecutionTotals }) {
    const { count } = await this.db.execution.updateMany({
      where: { id, status: { in: ["queued", "running"] } },
      data: {
        status,
        finishedAt: new Date(),
        waitingFor: Prisma.DbNull,
        ...(fields.result !== undefined ? { result: fields.result } : {}),
        ...(fields.error !== undefined ? { error: fields.error } : {}),
        ...fields.totals,
      },
    });
    return count === 1;
  }

  update(id: string, data: Prisma.ExecutionUpdateInput) {
    return this.db.execution.update({ where: { id }, data });
  }

  /** Runs no live process runs: their process stopped or crashed (see sql.ts heartbeats). */
  orphans(staleMs: number) {
    return orphans(this.pool, staleMs);
  }

  claim(id: string, staleMs: number) {
    return claim(this.pool, id, staleMs);
  }

  beat(ids: string[]) {
    return beat(this.pool, ids);
  }

  takeAnswer(id: string) {
    return takeAnswer(this.pool, id);
  }

  release(ids: string[]) {
    return release(this.pool, ids);
  }

  /** Tells every Nexus process that this run ended here, so the one running it lets go at once. */
  async announceEnded(id: string) {
    await this.pool.query("SELECT pg_notify($1, $2)", [ENDED_CHANNEL, id]);
  }
}

export const ENDED_CHANNEL = "kayos_nexus_ended";

export function viewOf(row: ExecutionRow, offline: boolean): ExecutionView {
  const waiting = row.waitingFor as { node_id: string; question: unknown } | null;
  return {
    id: row.id,
    agent_type: row.agentType,
    status: row.status,
    conversation_id: row.conversationId,
    definition_id: row.definitionId,
    model: row.model,
    result: row.result ?? null,
    error: row.error,
    usage: {
      input_tokens: row.inputTokens,
      output_tokens: row.outputTokens,
      cache_read_tokens: row.cacheReadTokens,
      cache_write_tokens: row.cacheWriteTokens,
      model_calls: row.modelCalls,
      cost_usd: Number(row.costUsd),
      unpriced_models: row.unpricedModels,
    },
    timings: {
      created_at: row.createdAt.toISOString(),
      started_at: row.startedAt?.toISOString() ?? null,
      finished_at: row.finishedAt?.toISOString() ?? null,
      ttft_ms: row.ttftMs,
      duration_ms: row.finishedAt && row.startedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    },
    waiting_for: waiting ? { node_id: waiting.node_id, question: waiting.question } : null,
    stream_url: streamUrl(row.id),
    offline,
  };
}

export const streamUrl = (id: string) => `/api/v1/agents/${id}/stream`;
