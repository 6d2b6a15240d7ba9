import { BaseNode } from "./base-node.js";
import type { Frame } from "./checkpoint/types.js";
import type { ExecContext, InterruptState } from "./context.js";
import { visitLifecycle } from "./lifecycle.js";
import { execWithRetry } from "./retry.js";
import type { Level } from "./scope.js";
import type { MaybePromise, PostResult } from "./types.js";

/**
 * A step of a graph: `prep` reads shared state, `exec` does the work (retried, timed out,
 * cancellable), `post` writes results back and returns the action that picks the successor.
 */
export class Node<Shared = unknown, PrepRes = unknown, ExecRes = unknown, Action extends string = string> extends BaseNode<
  Shared,
  Action
> {
  prep(_shared: Shared): MaybePromise<PrepRes> {
    return undefined as PrepRes;
  }

  exec(_prepRes: PrepRes, _ctx: ExecContext): MaybePromise<ExecRes> {
    return undefined as ExecRes;
  }

  /** Called after the last failed attempt; the default re-throws the error. */
  execFallback(_prepRes: PrepRes, error: unknown, _ctx: ExecContext): MaybePromise<ExecRes> {
    throw error;
  }

  post(_shared: Shared, _prepRes: PrepRes, _execRes: ExecRes): MaybePromise<PostResult<Action>> {
    return undefined as PostResult<Action>;
  }

  /** @internal */
  _prepared(raw: unknown): PrepRes {
    return raw as PrepRes;
  }

  /** @internal */
  _execute(prepRes: PrepRes, level: Level, hitl: InterruptState | undefined): MaybePromise<ExecRes> {
    return execWithRetry(this, prepRes, level, hitl);
  }

  /** @internal */
  _visit(shared: Shared, level: Level, resume: readonly Frame[] | undefined): MaybePromise<string | undefined | void> {
    return visitLifecycle(this, shared, level, resume);
  }
}
