import type { AnyNode } from "./base-node.js";
import type { Frame } from "./checkpoint/types.js";
import { AbortError } from "./errors.js";
import { GraphBase, type GraphOptions } from "./graph-base.js";
import { orchestrate } from "./orchestrate.js";
import { checkConcurrency, mapConcurrent } from "./pool.js";
import type { Level } from "./scope.js";
import type { MaybePromise, Params, PostResult } from "./types.js";

/**
 * Runs the whole graph once per param object returned by `prep` (undefined = none); each
 * item's params are merged over the graph's, the item winning. Checkpointed as one unit.
 */
export class BatchGraph<Shared = unknown, Action extends string = string> extends GraphBase<Shared, Action> {
  prep(_shared: Shared): MaybePromise<readonly Params[] | undefined | void> {
    return undefined;
  }

  /** Receives the items and each item's final action; by default the batch's action is "default". */
  post(_shared: Shared, _items: readonly Params[], _actions: string[]): MaybePromise<PostResult<Action>> {
    return undefined as PostResult<Action>;
  }

  /** @internal */
  async _visit(shared: Shared, level: Level, _resume: readonly Frame[] | undefined): Promise<string | undefined | void> {
    const items = (await this.prep(shared)) ?? [];
    const run = level.run.child(level.run.signal);
    const inner: Level = { run, graphId: this.graphId, depth: 0 };
    const actions = await this._runItems(items, (item) => orchestrate(this, shared, { ...this._params, ...item }, inner, undefined), run.signal);
    return this.post(shared, items, actions);
  }

  /** @internal */
  async _runItems(items: readonly Params[], runItem: (item: Params) => Promise<string>, signal: AbortSignal | undefined): Promise<string[]> {
    const actions: string[] = [];
    for (const item of items) {
      if (signal?.aborted) throw new AbortError(signal.reason);
      actions.push(await runItem(item));
    }
    return actions;
  }
}

export interface ParallelBatchGraphOptions extends GraphOptions {
  /** Items in flight at once. Default: all. */
  concurrency?: number;
}

/** BatchGraph whose items run concurrently; they share `shared`, so write per-item keys. */
export class ParallelBatchGraph<Shared = unknown, Action extends string = string> extends BatchGraph<Shared, Action> {
  readonly concurrency: number | undefined;

  constructor(start?: AnyNode<Shared>, options: ParallelBatchGraphOptions = {}) {
    super(start, options);
    checkConcurrency(options.concurrency);
    this.concurrency = options.concurrency;
  }

  /** @internal */
  override _runItems(items: readonly Params[], runItem: (item: Params) => Promise<string>, signal: AbortSignal | undefined): Promise<string[]> {
    return mapConcurrent(items, this.concurrency, runItem, signal);
  }
}
