import { BaseNode } from "./base-node.js";
import type { Frame } from "./checkpoint/types.js";
import type { ExecContext, InterruptState } from "./context.js";
import { AbortError } from "./errors.js";
import { visitLifecycle } from "./lifecycle.js";
import type { NodeOptions } from "./options.js";
import { checkConcurrency, mapConcurrent } from "./pool.js";
import { execWithRetry, type Executable } from "./retry.js";
import type { Level } from "./scope.js";
import { isThenable, type MaybePromise, type PostResult } from "./types.js";

/** prep returns the items (undefined = none); exec runs once per item, with its own retries. */
export class BatchNode<Shared = unknown, Item = unknown, ItemResult = unknown, Action extends string = string> extends BaseNode<
  Shared,
  Action
> {
  prep(_shared: Shared): MaybePromise<readonly Item[] | undefined | void> {
    return undefined;
  }

  exec(_item: Item, _ctx: ExecContext): MaybePromise<ItemResult> {
    return undefined as ItemResult;
  }

  /** Called per item after its last failed attempt; the default re-throws. */
  execFallback(_item: Item, error: unknown, _ctx: ExecContext): MaybePromise<ItemResult> {
    throw error;
  }

  post(_shared: Shared, _items: readonly Item[], _results: ItemResult[]): MaybePromise<PostResult<Action>> {
    return undefined as PostResult<Action>;
  }

  /** @internal */
  _prepared(raw: unknown): readonly Item[] {
    return (raw ?? []) as readonly Item[];
  }

  /** @internal Items run one after another. */
  _execute(items: readonly Item[], level: Level, hitl: InterruptState | undefined): MaybePromise<ItemResult[]> {
    const results = new Array<ItemResult>(items.length);
    for (let i = 0; i < items.length; i++) {
      const result = execWithRetry(this, items[i] as Item, level, hitl);
      if (isThenable(result)) return finishSequential(this, items, level, hitl, results, i, result);
      results[i] = result;
    }
    return results;
  }

  /** @internal */
  _visit(shared: Shared, level: Level, resume: readonly Frame[] | undefined): MaybePromise<string | undefined | void> {
    return visitLifecycle(this, shared, level, resume);
  }
}

async function finishSequential<Item, ItemResult>(
  node: Executable<Item, ItemResult>,
  items: readonly Item[],
  level: Level,
  hitl: InterruptState | undefined,
  results: ItemResult[],
  index: number,
  pending: PromiseLike<ItemResult>,
): Promise<ItemResult[]> {
  results[index] = await pending;
  const signal = level.run.signal;
  for (let i = index + 1; i < items.length; i++) {
    if (signal?.aborted) throw new AbortError(signal.reason);
    results[i] = await execWithRetry(node, items[i] as Item, level, hitl);
  }
  return results;
}

export interface ParallelBatchOptions extends NodeOptions {
  /** Items in flight at once. Default: all. */
  concurrency?: number;
}

/** Runs items concurrently (optionally limited); results keep input order. */
export class ParallelBatchNode<
  Shared = unknown,
  Item = unknown,
  ItemResult = unknown,
  Action extends string = string,
> extends BatchNode<Shared, Item, ItemResult, Action> {
  readonly concurrency: number | undefined;

  constructor(options: ParallelBatchOptions = {}) {
    super(options);
    checkConcurrency(options.concurrency);
    this.concurrency = options.concurrency;
  }

  /** @internal */
  override _execute(items: readonly Item[], level: Level, hitl: InterruptState | undefined): Promise<ItemResult[]> {
    return mapConcurrent(items, this.concurrency, (item) => execWithRetry(this, item, level, hitl), level.run.signal);
  }
}
