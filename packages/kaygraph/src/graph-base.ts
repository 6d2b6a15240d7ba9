import { BaseNode, bumpWiringVersion, currentWiringVersion, type AnyNode } from "./base-node.js";
import type { CheckpointStore } from "./checkpoint/types.js";
import { GraphError, GraphOptionsError } from "./errors.js";
import type { EventListener } from "./events.js";
import { buildIndex, type GraphIndex } from "./graph-index.js";
import { toMermaid } from "./mermaid.js";
import { runRoot, type RunDefaults, type RunOptions } from "./run.js";
import { DEFAULT_ACTION } from "./types.js";

export interface GraphOptions {
  id?: string;
  /** Loop guard: a run of this graph fails with MaxStepsError past this many steps. Default 10,000. */
  maxSteps?: number;
  /** Default listener for runs of this graph. */
  onEvent?: EventListener;
  /** Default checkpoint store for runs of this graph. */
  store?: CheckpointStore;
}

/** Start node, named nodes and wiring shared by Graph and the batch graphs. */
export abstract class GraphBase<Shared = unknown, Action extends string = string> extends BaseNode<Shared, Action> {
  /** @internal */ _start: AnyNode<Shared> | undefined;
  /** @internal */ readonly _named = new Map<string, AnyNode<Shared>>();
  /** @internal */ readonly _maxSteps: number | undefined;
  /** @internal */ readonly _defaults: GraphOptions;
  // A box shared with per-visit copies, so the index survives across runs.
  private readonly _cache: { version: number; index: GraphIndex | undefined } = { version: -1, index: undefined };

  constructor(start?: AnyNode<Shared>, options: GraphOptions = {}) {
    super({ id: options.id });
    const { maxSteps } = options;
    if (maxSteps !== undefined && !(Number.isInteger(maxSteps) && maxSteps >= 1)) {
      throw new GraphOptionsError(`maxSteps must be an integer >= 1, got ${maxSteps}`);
    }
    this._start = start;
    this._maxSteps = maxSteps;
    this._defaults = options;
  }

  get graphId(): string {
    return this.id ?? "graph";
  }

  get startNode(): AnyNode<Shared> | undefined {
    return this._start;
  }

  /** Sets the start node (a node or an addNode name) and returns it, so wiring can chain. */
  start<N extends AnyNode<Shared>>(node: N | string): N {
    const resolved = typeof node === "string" ? this.getNode(node) : node;
    if (resolved === undefined) throw this.unknown([String(node)]);
    this._start = resolved;
    bumpWiringVersion();
    return resolved as N;
  }

  /** Registers a named node; the first one added is the start unless `start()` says otherwise. */
  addNode(name: string, node: AnyNode<Shared>): this {
    if (this._named.has(name)) throw new GraphError("DUPLICATE_NODE", `Graph "${this.graphId}" already has a node named "${name}".`);
    this._named.set(name, node);
    node.id ??= name;
    this._start ??= node;
    bumpWiringVersion();
    return this;
  }

  /** Wires two named nodes; unknown names are a GraphError listing the known ones. */
  addEdge(from: string, to: string, action: string = DEFAULT_ACTION): this {
    const source = this.getNode(from);
    const target = this.getNode(to);
    if (source === undefined || target === undefined) {
      throw this.unknown([from, to].filter((name) => this.getNode(name) === undefined));
    }
    source.on(action, target);
    return this;
  }

  getNode(name: string): AnyNode<Shared> | undefined {
    return this._named.get(name);
  }

  /** Runs the graph and resolves to its final action. Its own successors are not followed. */
  override run(shared: Shared, options: RunOptions = {}): Promise<Action> {
    return runRoot(this, shared, options, this._runDefaults()) as Promise<Action>;
  }

  /** Mermaid flowchart, edges labelled by action. */
  toMermaid(): string {
    return toMermaid(this);
  }

  /** @internal */
  _runDefaults(): RunDefaults {
    return { id: this.graphId, store: this._defaults.store, onEvent: this._defaults.onEvent };
  }

  /** @internal */
  _startNode(): AnyNode<Shared> {
    if (this._start === undefined) {
      throw new GraphError(
        "NO_START",
        `Graph "${this.graphId}" has no start node: pass one to new Graph(start), call graph.start(node) or graph.addNode(name, node).`,
      );
    }
    return this._start;
  }

  /** @internal */
  _index(): GraphIndex {
    const version = currentWiringVersion();
    const cache = this._cache;
    if (cache.index === undefined || cache.version !== version) {
      cache.index = buildIndex(this.graphId, this._start, this._named);
      cache.version = version;
    }
    return cache.index;
  }

  /** @internal */
  override _children(): readonly AnyNode<Shared>[] {
    return [...this._index().byId.values()];
  }

  private unknown(names: string[]): GraphError {
    const known = [...this._named.keys()].map((n) => `"${n}"`).join(", ") || "none";
    return new GraphError("UNKNOWN_NODE", `Graph "${this.graphId}" has no node named ${names.map((n) => `"${n}"`).join(", ")} (known: ${known}).`);
  }
}
