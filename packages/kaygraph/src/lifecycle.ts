import type { Frame } from "./checkpoint/types.js";
import type { InterruptState } from "./context.js";
import { GraphInterrupt } from "./errors.js";
import type { Level } from "./scope.js";
import { isThenable, type MaybePromise } from "./types.js";

/** prep -> exec (with retries) -> post, as implemented by Node and the batch nodes. */
export interface Lifecycle<Shared, Prepared, ExecRes> {
  prep(shared: Shared): MaybePromise<unknown>;
  /** Turns prep's raw result into what exec and post receive (batch nodes: undefined -> []). */
  _prepared(raw: unknown): Prepared;
  _execute(prepared: Prepared, level: Level, hitl: InterruptState | undefined): MaybePromise<ExecRes>;
  post(shared: Shared, prepared: Prepared, execRes: ExecRes): MaybePromise<string | undefined | void>;
}

/** Sync when the node is sync; promises only appear when a method returns one or a store is used. */
export function visitLifecycle<S, P, E>(
  node: Lifecycle<S, P, E>,
  shared: S,
  level: Level,
  resume: readonly Frame[] | undefined,
): MaybePromise<string | undefined | void> {
  if (level.run.store !== undefined) return visitDurable(node, shared, level, resume?.[0]);
  const raw = node.prep(shared);
  if (isThenable(raw)) return raw.then((value) => afterPrep(node, shared, node._prepared(value), level));
  return afterPrep(node, shared, node._prepared(raw), level);
}

function afterPrep<S, P, E>(node: Lifecycle<S, P, E>, shared: S, prepared: P, level: Level): MaybePromise<string | undefined | void> {
  const execRes = node._execute(prepared, level, undefined);
  if (isThenable(execRes)) return execRes.then((value) => node.post(shared, prepared, value));
  return node.post(shared, prepared, execRes);
}

/** Checkpoints before prep and between exec and post, so a resumed run never repeats a finished exec. */
async function visitDurable<S, P, E>(
  node: Lifecycle<S, P, E>,
  shared: S,
  level: Level,
  saved: Frame | undefined,
): Promise<string | undefined | void> {
  const run = level.run;
  const frame = run.frames[level.depth] as Frame;
  if (saved?.phase === "executed") {
    frame.phase = "executed";
    frame.prep = saved.prep;
    frame.exec = saved.exec;
    return node.post(shared, saved.prep as P, saved.exec as E);
  }
  const hitl: InterruptState = { answers: saved?.answers ? [...saved.answers] : [], asked: 0 };
  if (hitl.answers.length > 0) frame.answers = hitl.answers;
  await run.save("running");
  const prepared = node._prepared(await node.prep(shared));
  let execRes: E;
  try {
    execRes = await node._execute(prepared, level, hitl);
  } catch (error) {
    if (error instanceof GraphInterrupt) {
      frame.answers = hitl.answers;
      await run.save("interrupted", { interrupt: { nodeId: error.nodeId, value: error.value } });
    }
    throw error;
  }
  frame.phase = "executed";
  frame.prep = prepared;
  frame.exec = execRes;
  delete frame.answers;
  await run.save("running");
  return node.post(shared, prepared, execRes);
}
