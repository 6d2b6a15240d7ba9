import { BaseNode, type AnyNode } from "./base-node.js";
import type { Frame } from "./checkpoint/types.js";
import { GraphError } from "./errors.js";
import { Graph } from "./graph.js";
import { assignChanges } from "./merge.js";
import { orchestrate } from "./orchestrate.js";
import type { Level } from "./scope.js";
import type { MaybePromise, PostResult } from "./types.js";

export interface BranchResult<Shared> {
  name: string;
  /** The branch's own copy of shared, as the branch left it. */
  shared: Shared;
  /** The branch's final action. */
  action: string;
}

/** How branch copies are folded back: "assign" (default) or your own function. */
export type MergeRule<Shared> = "assign" | ((shared: Shared, results: readonly BranchResult<Shared>[]) => MaybePromise<void>);

export interface FanOutOptions<Shared> {
  id?: string;
  merge?: MergeRule<Shared>;
  /** Makes each branch's private copy of shared. Default: structuredClone. */
  isolate?: (shared: Shared) => Shared;
}

/**
 * Runs several branches concurrently, each on its own copy of shared (so they cannot race),
 * then merges the copies into shared once all have finished and continues at its successor
 * (the join). If one branch fails, the others are aborted and the fan-out fails.
 */
export class FanOut<Shared = unknown, Action extends string = string> extends BaseNode<Shared, Action> {
  /** @internal */ readonly _branches: ReadonlyMap<string, Graph<Shared>>;
  private readonly merge: MergeRule<Shared>;
  private readonly isolate: (shared: Shared) => Shared;

  constructor(branches: Record<string, AnyNode<Shared>>, options: FanOutOptions<Shared> = {}) {
    super({ id: options.id });
    const entries = Object.entries(branches);
    if (entries.length === 0) throw new GraphError("INVALID_OPTIONS", "FanOut needs at least one branch.");
    this._branches = new Map(entries.map(([name, start]) => [name, new Graph<Shared>(start, { id: name })]));
    this.merge = options.merge ?? "assign";
    this.isolate = options.isolate ?? defaultIsolate;
  }

  /** Decides the action after the merge; by default "default" (continue at the join). */
  post(_shared: Shared, _results: readonly BranchResult<Shared>[]): MaybePromise<PostResult<Action>> {
    return undefined as PostResult<Action>;
  }

  /** @internal */
  override _children(): readonly AnyNode<Shared>[] {
    return [...this._branches.values()];
  }

  /** @internal */
  async _visit(shared: Shared, level: Level, _resume: readonly Frame[] | undefined): Promise<string | undefined | void> {
    const controller = new AbortController();
    const outer = level.run.signal;
    const forward = (): void => controller.abort(outer?.reason);
    if (outer?.aborted) forward();
    outer?.addEventListener("abort", forward, { once: true });
    const run = level.run.child(controller.signal);
    const before = { ...(shared as object) } as Record<string, unknown>;
    try {
      const results = await Promise.all(
        [...this._branches].map(async ([name, graph]): Promise<BranchResult<Shared>> => {
          const copy = this.isolate(shared);
          const inner: Level = { run, graphId: `${this.id ?? "fanout"}/${name}`, depth: 0 };
          try {
            const action = await orchestrate(graph, copy, this._params, inner, undefined);
            return { name, shared: copy, action };
          } catch (error) {
            controller.abort(error);
            throw error;
          }
        }),
      );
      if (this.merge === "assign") assignChanges(shared as object, before, results.map((r) => r.shared as object));
      else await this.merge(shared, results);
      return await this.post(shared, results);
    } finally {
      outer?.removeEventListener("abort", forward);
    }
  }
}

function defaultIsolate<Shared>(shared: Shared): Shared {
  try {
    return structuredClone(shared);
  } catch (error) {
    throw new GraphError("NOT_SERIALIZABLE", "FanOut could not copy shared with structuredClone: pass an `isolate` option.", { cause: error });
  }
}
