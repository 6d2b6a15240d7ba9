import type { AnyNode } from "./base-node.js";
import type { Frame } from "./checkpoint/types.js";
import { GraphError } from "./errors.js";
import { runRoot, type RunDefaults, type RunOptions } from "./run.js";

export interface ResumeOptions<Shared = unknown> extends Omit<RunOptions, "runId"> {
  /** The answer to the pending `ctx.interrupt()` of an interrupted run. */
  answer?: unknown;
  /** Object that receives the restored shared state and is mutated by the resumed run. */
  shared?: Shared;
}

export async function resumeRun(root: AnyNode, runId: string, options: ResumeOptions, defaults: RunDefaults): Promise<string> {
  const store = options.store ?? defaults.store;
  if (store === undefined) throw new GraphError("NO_STORE", `Cannot resume run "${runId}" without a checkpoint store: pass { store }.`);
  const checkpoint = await store.load(runId);
  if (checkpoint === undefined) throw new GraphError("RUN_NOT_FOUND", `No checkpoint for run "${runId}".`);
  if (checkpoint.graphId !== defaults.id) {
    throw new GraphError("RUN_NOT_FOUND", `Run "${runId}" belongs to graph "${checkpoint.graphId}", not "${defaults.id}".`);
  }
  if (checkpoint.status === "done") throw new GraphError("RUN_FINISHED", `Run "${runId}" already finished with action "${checkpoint.action}".`);
  const frames: Frame[] = checkpoint.frames.map((frame) => ({ ...frame }));
  const leaf = frames[frames.length - 1];
  if (checkpoint.status === "interrupted" && leaf !== undefined && "answer" in options) {
    leaf.answers = [...(leaf.answers ?? []), options.answer];
  }
  const shared = options.shared !== undefined ? Object.assign(options.shared as object, checkpoint.shared) : checkpoint.shared;
  const { answer: _answer, shared: _shared, ...runOptions } = options;
  return runRoot(root, shared, { ...runOptions, store, runId }, defaults, { ...checkpoint, frames });
}
