import type { Params } from "../types.js";

/**
 * Position of a run at one nesting level. `frames[0]` is the root node's visit,
 * `frames[i + 1]` the current node inside the graph that `frames[i]` points at.
 */
export interface Frame {
  node: string;
  step: number;
  /** "start": before prep; "executed": exec finished, post pending; "inside": a nested graph is running. */
  phase: "start" | "executed" | "inside";
  prep?: unknown;
  exec?: unknown;
  /** Answers given to `ctx.interrupt()` calls of this visit, in call order. */
  answers?: unknown[];
}

export type CheckpointStatus = "running" | "interrupted" | "failed" | "aborted" | "done";

/** A JSON-serializable snapshot of a run, saved at node boundaries and between exec and post. */
export interface Checkpoint {
  version: 1;
  runId: string;
  graphId: string;
  status: CheckpointStatus;
  shared: unknown;
  params: Params;
  frames: Frame[];
  action?: string;
  interrupt?: { nodeId: string; value: unknown };
  error?: { name: string; message: string };
  updatedAt: string;
}

/**
 * Pluggable persistence. Implementations must copy (serialize) the checkpoint before
 * `save` resolves: the engine keeps mutating its own objects afterwards.
 */
export interface CheckpointStore {
  save(checkpoint: Checkpoint): Promise<void>;
  load(runId: string): Promise<Checkpoint | undefined>;
  delete(runId: string): Promise<void>;
}
