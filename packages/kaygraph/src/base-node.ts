import type { Frame } from "./checkpoint/types.js";
import { resolveNodeOptions, type NodeOptions, type ResolvedNodeOptions } from "./options.js";
import { runRoot, type RunOptions } from "./run.js";
import type { Level } from "./scope.js";
import { DEFAULT_ACTION, type MaybePromise, type Params } from "./types.js";

/** Any node whose shared state is compatible with `Shared`. */
export type AnyNode<Shared = unknown> = BaseNode<Shared, string>;

/** `next(node)` may omit the action only when the node declares "default". */
export type NextArgs<Action extends string> = "default" extends Action ? [action?: Action] : [action: Action];

let wiringVersion = 0;
/** Bumped on every wiring change so graphs can cache their node index. */
export function currentWiringVersion(): number {
  return wiringVersion;
}
export function bumpWiringVersion(): void {
  wiringVersion++;
}

/**
 * Wiring, params and per-visit copies shared by every kind of node. `Action` is the set of
 * actions the node's `post` may return; `on()` only accepts those.
 */
export abstract class BaseNode<Shared = unknown, Action extends string = string> {
  /** Stable id; inside a graph, the name given to `addNode` or a generated one is used when unset. */
  id: string | undefined;
  /** @internal */ readonly _opts: ResolvedNodeOptions;
  /** @internal */ _successors: Map<string, AnyNode<Shared>> = new Map();
  /** @internal */ _params: Params = {};
  /** @internal Warnings raised while wiring, reported to `onEvent` when a run starts. */
  _wiringWarnings: string[] | undefined = undefined;

  constructor(options?: NodeOptions) {
    this._opts = resolveNodeOptions(options);
    this.id = options?.id;
  }

  /** Params of the current visit (read-only; replaced by the graph's params inside a graph). */
  get params(): Readonly<Params> {
    return this._params;
  }

  get successors(): ReadonlyMap<string, AnyNode<Shared>> {
    return this._successors;
  }

  /** Copies `params`; later changes to the argument do not leak in. */
  setParams(params: Params): this {
    this._params = { ...params };
    return this;
  }

  /** Wires `node` as the successor for `action` (default "default") and returns `node`, so calls chain. */
  next<N extends AnyNode<Shared>>(node: N, ...args: NextArgs<Action>): N {
    this.on((args[0] ?? DEFAULT_ACTION) as Action, node);
    return node;
  }

  /** Wires `node` as the successor for `action` and returns this node. */
  on(action: Action, node: AnyNode<Shared>): this {
    const key = action === "" ? DEFAULT_ACTION : action;
    const previous = this._successors.get(key);
    if (previous !== undefined && previous !== node) {
      (this._wiringWarnings ??= []).push(`Action "${key}" of node "${this.id ?? this.constructor.name}" was re-wired to another node.`);
    }
    this._successors.set(key, node);
    bumpWiringVersion();
    return this;
  }

  /** Runs this node alone (successors are not followed) and resolves to its action. */
  run(shared: Shared, options: RunOptions = {}): Promise<Action> {
    return runRoot(this, shared, options) as Promise<Action>;
  }

  /** @internal A fresh copy for one visit: instance fields changed during the visit stay on the copy. */
  _copy(params: Params): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    copy._params = params;
    return copy;
  }

  /** @internal Runs one visit and returns the raw action (undefined or "" mean "default"). */
  abstract _visit(shared: Shared, level: Level, resume: readonly Frame[] | undefined): MaybePromise<string | undefined | void>;

  /** @internal Nodes nested inside this one (graphs, fan-out branches), for traversal. */
  _children(): readonly AnyNode<Shared>[] {
    return [];
  }
}
