// Runs a definition durably for an execution: checkpoints in PostgreSQL under the execution id,
// so a restart (or a human's answer) continues where the run stopped; progress streams as steps.
import { Graph, GraphInterrupt, type Checkpoint, type GraphDefinition, type GraphEvent, type TemplateState } from "@kayos/kaygraph";
import type { Prisma } from "@kayos/db/agents";
import { WAITING, type RunContext } from "../agent-types/types";
import { PgCheckpointStore } from "../store/checkpoints";
import { createRegistry } from "./registry";

export async function runGraph(ctx: RunContext, definition: GraphDefinition, input: Record<string, unknown>): Promise<Prisma.InputJsonValue | typeof WAITING> {
  const graph = Graph.fromDefinition<TemplateState>(definition, createRegistry(ctx));
  const store = new PgCheckpointStore(ctx.deps.db, ctx.organizationId);
  const shared: TemplateState = { input, results: {} };
  const onEvent = (e: GraphEvent) => stepEvent(ctx, e);
  const existing: Checkpoint | undefined = ctx.resumed ? await store.load(ctx.executionId) : undefined;
  try {
    if (existing?.status === "done") return resultOf(existing.shared as TemplateState);
    if (existing) {
      await graph.resume(ctx.executionId, { store, shared, signal: ctx.signal, onEvent, ...(ctx.answer ? { answer: ctx.answer.value } : {}) });
    } else {
      await graph.run(shared, { store, runId: ctx.executionId, signal: ctx.signal, onEvent });
    }
  } catch (error) {
    if (!(error instanceof GraphInterrupt)) throw error;
    const waiting = { node_id: error.nodeId, question: error.value };
    await ctx.record({ waitingFor: waiting as Prisma.InputJsonValue });
    ctx.emit("waiting", waiting);
    return WAITING;
  }
  return resultOf(shared);
}

function resultOf(shared: TemplateState): Prisma.InputJsonValue {
  return { results: shared.results } as Prisma.InputJsonValue;
}

function stepEvent(ctx: RunContext, e: GraphEvent) {
  if (e.type === "node:start") ctx.emit("step", { node_id: e.nodeId, state: "started", step: e.step });
  else if (e.type === "node:end") ctx.emit("step", { node_id: e.nodeId, state: "finished", step: e.step, action: e.action, duration_ms: Math.round(e.durationMs) });
  else if (e.type === "node:error") ctx.emit("step", { node_id: e.nodeId, state: "failed", step: e.step, error: errorText(e.error) });
  else if (e.type === "node:retry") ctx.emit("step", { node_id: e.nodeId, state: "retrying", error: errorText(e.error) });
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
