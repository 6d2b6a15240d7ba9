import type { AnyNode } from "./base-node.js";
import type { Frame } from "./checkpoint/types.js";
import { AbortError, GraphError, GraphInterrupt, MaxStepsError } from "./errors.js";
import type { GraphIndex } from "./graph-index.js";
import type { Level } from "./scope.js";
import { DEFAULT_ACTION, isThenable, type Params } from "./types.js";

export const DEFAULT_MAX_STEPS = 10_000;

/** What the loop needs from a graph. */
export interface Routable {
  readonly _maxSteps: number | undefined;
  _startNode(): AnyNode;
  _index(): GraphIndex;
}

/**
 * The routing loop: visit a fresh copy of the current node, pick the successor by action.
 * Events and checkpoints are only touched when a listener or a store is present.
 */
export async function orchestrate(
  graph: Routable,
  shared: unknown,
  params: Params,
  level: Level,
  resume: readonly Frame[] | undefined,
): Promise<string> {
  const run = level.run;
  const { onEvent, store, signal } = run;
  const index = onEvent !== undefined || store !== undefined ? graph._index() : undefined;
  const maxSteps = run.maxSteps ?? graph._maxSteps ?? DEFAULT_MAX_STEPS;
  let node: AnyNode;
  let step = 0;
  const saved = resume?.[0];
  if (saved !== undefined && index !== undefined) {
    const found = index.byId.get(saved.node);
    if (found === undefined) {
      throw new GraphError("UNKNOWN_NODE", `Cannot resume graph "${level.graphId}": it has no node "${saved.node}".`);
    }
    node = found;
    step = saved.step - 1;
  } else {
    node = graph._startNode();
  }
  for (;;) {
    if (signal?.aborted) throw new AbortError(signal.reason);
    step++;
    if (step > maxSteps) throw new MaxStepsError(level.graphId, graph._index().idOf.get(node) ?? "?", step, maxSteps);
    const visit = node._copy(params);
    let id = "";
    let startedAt = 0;
    if (index !== undefined) {
      id = index.idOf.get(node) ?? "";
      visit.id = id;
      if (store !== undefined) {
        run.frames.length = level.depth + 1;
        run.frames[level.depth] = { node: id, step, phase: "start" };
      }
      if (onEvent !== undefined) {
        startedAt = performance.now();
        onEvent({ type: "node:start", graphId: level.graphId, nodeId: id, step });
      }
    }
    let raw: string | undefined | void;
    try {
      const result = visit._visit(shared, level, resume);
      raw = isThenable(result) ? await result : result;
    } catch (error) {
      if (onEvent !== undefined && !(error instanceof GraphInterrupt)) {
        onEvent({ type: "node:error", graphId: level.graphId, nodeId: id, step, error });
      }
      throw error;
    }
    resume = undefined;
    const action = raw || DEFAULT_ACTION;
    const next = node._successors.get(action);
    if (onEvent !== undefined) {
      onEvent({ type: "node:end", graphId: level.graphId, nodeId: id, step, action, durationMs: performance.now() - startedAt });
      if (next === undefined && node._successors.size > 0) {
        const available = [...node._successors.keys()].map((a) => `"${a}"`).join(", ");
        onEvent({
          type: "warning",
          code: "DEAD_END",
          graphId: level.graphId,
          nodeId: id,
          message: `Graph "${level.graphId}" ends: node "${id}" returned action "${action}", which has no successor (available: ${available}).`,
        });
      } else if (next !== undefined) {
        onEvent({ type: "transition", graphId: level.graphId, from: id, to: index?.idOf.get(next) ?? "", action });
      }
    }
    if (next === undefined) return action;
    node = next;
  }
}
