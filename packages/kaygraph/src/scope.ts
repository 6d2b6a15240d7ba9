import type { Checkpoint, CheckpointStatus, CheckpointStore, Frame } from "./checkpoint/types.js";
import type { EventListener } from "./events.js";
import type { Params } from "./types.js";

export interface ScopeInit {
  signal: AbortSignal | undefined;
  onEvent: EventListener | undefined;
  store: CheckpointStore | undefined;
  runId: string | undefined;
  maxSteps: number | undefined;
  parallel: boolean;
  rootId: string;
  shared: unknown;
  params: Params;
}

/** State of one run, shared by every level of nesting. Fields are read on the hot path. */
export class RunScope {
  readonly signal: AbortSignal | undefined;
  readonly onEvent: EventListener | undefined;
  readonly store: CheckpointStore | undefined;
  readonly runId: string | undefined;
  readonly maxSteps: number | undefined;
  /** True inside fan-out branches and batch graphs, which are checkpointed as one unit. */
  readonly parallel: boolean;
  readonly rootId: string;
  readonly shared: unknown;
  readonly params: Params;
  readonly frames: Frame[] = [];

  constructor(init: ScopeInit) {
    this.signal = init.signal;
    this.onEvent = init.onEvent;
    this.store = init.store;
    this.runId = init.runId;
    this.maxSteps = init.maxSteps;
    this.parallel = init.parallel;
    this.rootId = init.rootId;
    this.shared = init.shared;
    this.params = init.params;
  }

  /** A scope for a concurrent region: same listener and limits, no checkpoints, its own signal. */
  child(signal: AbortSignal | undefined): RunScope {
    return new RunScope({ ...this, signal, store: undefined, parallel: true });
  }

  save(status: CheckpointStatus, extra?: Partial<Checkpoint>): Promise<void> {
    const store = this.store;
    if (store === undefined || this.runId === undefined) return Promise.resolve();
    return store.save({
      version: 1,
      runId: this.runId,
      graphId: this.rootId,
      status,
      shared: this.shared,
      params: this.params,
      frames: this.frames.map((frame) => ({ ...frame })),
      updatedAt: new Date().toISOString(),
      ...extra,
    });
  }
}

/** One nesting level: the graph whose loop runs the current node. */
export interface Level {
  readonly run: RunScope;
  readonly graphId: string;
  /** Index into `run.frames` of the node visited at this level. */
  readonly depth: number;
}
