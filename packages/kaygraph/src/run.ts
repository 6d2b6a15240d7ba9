import type { AnyNode } from "./base-node.js";
import type { Checkpoint, CheckpointStore } from "./checkpoint/types.js";
import { AbortError, GraphInterrupt } from "./errors.js";
import type { EventListener, RunStatus } from "./events.js";
import { collectNodes } from "./graph-index.js";
import { RunScope, type Level } from "./scope.js";
import { DEFAULT_ACTION, isThenable } from "./types.js";

export interface RunOptions {
  /** Aborting rejects the run with an AbortError; no further node is started. */
  signal?: AbortSignal;
  /** Receives every run event; nothing is allocated for events without it. */
  onEvent?: EventListener;
  /** Saves checkpoints so the run can be resumed; required for `ctx.interrupt()`. */
  store?: CheckpointStore;
  /** Id of the run in the store (default: a random UUID). */
  runId?: string;
  /** Loop guard per graph level; overrides the graphs' own `maxSteps`. */
  maxSteps?: number;
}

/** Defaults a root may carry (a Graph's constructor options). */
export interface RunDefaults {
  id: string;
  store?: CheckpointStore;
  onEvent?: EventListener;
}

/** Runs `root` as the outermost node of a run: its own successors are not followed. */
export async function runRoot(
  root: AnyNode,
  shared: unknown,
  options: RunOptions,
  defaults: RunDefaults = { id: root.id ?? root.constructor.name },
  resumeFrom?: Checkpoint,
): Promise<string> {
  const store = options.store ?? defaults.store;
  const onEvent = options.onEvent ?? defaults.onEvent;
  const signal = options.signal;
  const runId = resumeFrom?.runId ?? options.runId ?? (store !== undefined || onEvent !== undefined ? globalThis.crypto.randomUUID() : undefined);
  const params = resumeFrom?.params ?? root._params;
  const scope = new RunScope({
    signal,
    onEvent,
    store,
    runId,
    maxSteps: options.maxSteps,
    parallel: false,
    rootId: defaults.id,
    shared,
    params,
  });
  const level: Level = { run: scope, graphId: "", depth: 0 };
  const startedAt = onEvent === undefined ? 0 : performance.now();
  if (onEvent !== undefined) {
    reportWiring(root, defaults.id, onEvent);
    onEvent({ type: "run:start", graphId: defaults.id, runId, resumed: resumeFrom !== undefined });
  }
  const end = (status: RunStatus, action?: string, error?: unknown): void =>
    onEvent?.({ type: "run:end", graphId: defaults.id, runId, status, action, error, durationMs: performance.now() - startedAt });
  try {
    if (signal?.aborted) throw new AbortError(signal.reason);
    if (store !== undefined) scope.frames[0] = resumeFrom?.frames[0] ? { ...resumeFrom.frames[0] } : { node: defaults.id, step: 1, phase: "start" };
    const visit = root._copy(params);
    visit.id = defaults.id;
    const result = visit._visit(shared, level, resumeFrom?.frames);
    const action = (isThenable(result) ? await result : result) || DEFAULT_ACTION;
    if (store !== undefined) {
      scope.frames.length = 0;
      await scope.save("done", { action });
    }
    end("done", action);
    return action;
  } catch (error) {
    const status: RunStatus = error instanceof GraphInterrupt ? "interrupted" : error instanceof AbortError ? "aborted" : "error";
    // An interrupt was saved where it happened; other failures keep the position for resume.
    if (store !== undefined && status !== "interrupted" && scope.frames.length > 0) {
      const failure = error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
      await scope.save(status === "aborted" ? "aborted" : "failed", { error: failure }).catch(() => undefined);
    }
    end(status, undefined, error);
    throw error;
  }
}

function reportWiring(root: AnyNode, rootId: string, onEvent: EventListener): void {
  if (root._successors.size > 0) {
    onEvent({
      type: "warning",
      code: "SUCCESSORS_IGNORED",
      nodeId: rootId,
      message: `"${rootId}" has successors, but run() runs it alone; put it inside a Graph to follow them.`,
    });
  }
  for (const node of collectNodes(root)) {
    for (const message of node._wiringWarnings ?? []) onEvent({ type: "warning", code: "REWIRED", nodeId: node.id, message });
  }
}
