// Runs a definition durably for an execution: checkpoints in PostgreSQL under the execution id,
// so a restart (or a human's answer) continues where the run stopped; progress streams as steps.
// A run is bounded: after max steps (NEXUS_GRAPH_MAX_STEPS, or the definition's `maxSteps` up to
// NEXUS_GRAPH_MAX_STEPS_LIMIT) it fails saying where the graph loops, keeping finished nodes' results.
import {
  GRAPH_NODE_TYPE,
  Graph,
  GraphInterrupt,
  MaxStepsError,
  type Checkpoint,
  type GraphDefinition,
  type GraphEvent,
  type TemplateState,
} from "@kayos/kaygraph";
import type { Prisma } from "@kayos/db/agents";
import { WAITING, type RunContext } from "../agent-types/types";
import type { NexusConfig } from "../env";
import { PgCheckpointStore } from "../store/checkpoints";
import { createRegistry } from "./registry";

export async function runGraph(ctx: RunContext, definition: GraphDefinition, input: Record<string, unknown>): Promise<Prisma.InputJsonValue | typeof WAITING> {
  const graph = Graph.fromDefinition<TemplateState>(definition, createRegistry(ctx));
  const store = new PgCheckpointStore(ctx.deps.db, ctx.organizationId);
  const shared: TemplateState = { input, results: {} };
  const limit = stepLimit(ctx.deps.config, definition);
  const steps = new StepGuard(limit, graph.graphId, definition);
  const onEvent = (e: GraphEvent) => {
    steps.observe(e);
    stepEvent(ctx, e);
  };
  // KayGraph's loop guard counts per nesting level (and survives a resume); StepGuard adds up all levels.
  const options = { store, signal: ctx.signal, onEvent, maxSteps: limit.max };
  const existing: Checkpoint | undefined = ctx.resumed ? await store.load(ctx.executionId) : undefined;
  try {
    if (existing?.status === "done") return resultOf(existing.shared as TemplateState);
    if (existing) {
      await graph.resume(ctx.executionId, { ...options, shared, ...(ctx.answer ? { answer: ctx.answer.value } : {}) });
    } else {
      await graph.run(shared, { ...options, runId: ctx.executionId });
    }
  } catch (error) {
    if (error instanceof MaxStepsError || error instanceof StepLimitReached) {
      const message = error instanceof StepLimitReached ? error.message : steps.message(error.graphId, error.nodeId);
      // The execution fails with this error; what the finished nodes produced stays its result.
      await ctx.record({ result: resultOf(shared) }).catch(() => undefined);
      throw new Error(message, { cause: error });
    }
    if (!(error instanceof GraphInterrupt)) throw error;
    const waiting = { node_id: error.nodeId, question: error.value };
    await ctx.record({ waitingFor: waiting as Prisma.InputJsonValue });
    ctx.emit("waiting", waiting);
    return WAITING;
  }
  return resultOf(shared);
}

export interface StepLimit {
  max: number;
  /** Where `max` came from, for the error's advice. */
  source: "setting" | "definition" | "capped";
  setting: number;
  ceiling: number;
  asked?: number;
}

/** The definition's `maxSteps` (at most NEXUS_GRAPH_MAX_STEPS_LIMIT), else NEXUS_GRAPH_MAX_STEPS. */
export function stepLimit(config: Pick<NexusConfig, "NEXUS_GRAPH_MAX_STEPS" | "NEXUS_GRAPH_MAX_STEPS_LIMIT">, definition: Pick<GraphDefinition, "maxSteps">): StepLimit {
  const setting = config.NEXUS_GRAPH_MAX_STEPS;
  const ceiling = config.NEXUS_GRAPH_MAX_STEPS_LIMIT;
  const asked = definition.maxSteps;
  if (asked === undefined) return { max: setting, source: "setting", setting, ceiling };
  if (asked > ceiling) return { max: ceiling, source: "capped", setting, ceiling, asked };
  return { max: asked, source: "definition", setting, ceiling, asked };
}

/** Thrown from the event listener before a node starts when the run's steps (all levels) are used up. */
class StepLimitReached extends Error {}

/**
 * Counts node starts at every nesting level (a nested graph's loop inside an outer loop would
 * otherwise get max steps per visit) and remembers each level's recent nodes to name the loop.
 */
class StepGuard {
  private count = 0;
  private readonly history = new Map<string, string[]>();
  /** Nested graph id → the id of the graph it is a node of. */
  private readonly parentOf = new Map<string, string>();

  constructor(
    private readonly limit: StepLimit,
    private readonly rootId: string,
    definition: GraphDefinition,
  ) {
    this.collect(definition, rootId);
  }

  private collect(definition: GraphDefinition, graphId: string) {
    for (const node of definition.nodes) {
      if (node.type !== GRAPH_NODE_TYPE || !node.graph) continue;
      this.parentOf.set(node.id, graphId);
      this.collect(node.graph, node.id);
    }
  }

  observe(e: GraphEvent) {
    if (e.type !== "node:start") return;
    if (++this.count > this.limit.max) throw new StepLimitReached(this.message(e.graphId, e.nodeId));
    // A nested graph starts over: its earlier visits are not a loop of its own.
    if (this.parentOf.has(e.nodeId) && this.parentOf.get(e.nodeId) === e.graphId) this.history.set(e.nodeId, []);
    const list = this.history.get(e.graphId) ?? [];
    list.push(e.nodeId);
    if (list.length > 2 * this.limit.max + 10) list.splice(0, list.length - this.limit.max - 10);
    this.history.set(e.graphId, list);
  }

  /** The error for a run stopped before `nodeId` (of graph `graphId`) could start. */
  message(graphId: string, nodeId: string): string {
    const loop = this.loop(graphId, nodeId);
    const { max, source, setting, ceiling, asked } = this.limit;
    const what = loop ? `the graph loops (${loop})` : `the graph did not finish within ${max} steps`;
    const raise =
      source === "setting"
        ? `raise NEXUS_GRAPH_MAX_STEPS (now ${setting}) or the definition's maxSteps (up to NEXUS_GRAPH_MAX_STEPS_LIMIT=${ceiling})`
        : source === "capped"
          ? `the definition's maxSteps=${asked} is capped by NEXUS_GRAPH_MAX_STEPS_LIMIT=${ceiling}; raise that setting`
          : `raise the definition's maxSteps (now ${max}; up to NEXUS_GRAPH_MAX_STEPS_LIMIT=${ceiling})`;
    return `Graph stopped after ${max} steps: ${what}; ${raise} or add an exit condition`;
  }

  /** "a→b→a" for the innermost level where the pending node (or the nested graph holding it) repeats. */
  private loop(graphId: string, nodeId: string): string | undefined {
    let level = graphId;
    let node = nodeId;
    let pending = true;
    for (let depth = 0; depth < 32; depth++) {
      const list = this.history.get(level) ?? [];
      const end = pending ? list.length : list.length - 1;
      const previous = end > 0 ? list.lastIndexOf(node, end - 1) : -1;
      if (previous >= 0) return shorten([...list.slice(previous, end), node]);
      const parent = level === this.rootId ? undefined : this.parentOf.get(level);
      if (parent === undefined) return undefined;
      node = level;
      level = parent;
      pending = false;
    }
    return undefined;
  }
}

function shorten(path: string[]): string {
  const shown = path.length > 12 ? [...path.slice(0, 6), "…", ...path.slice(-5)] : path;
  return shown.join("→");
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
