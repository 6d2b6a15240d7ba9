import type { AnyNode } from "../base-node.js";
import { GraphError } from "../errors.js";
import type { NodeOptions } from "../options.js";
import type { ConfigSchema } from "./schema.js";
import { GRAPH_NODE_TYPE } from "./types.js";

/** How to build one node type from validated config. `create` must pass `options` to the node. */
export interface NodeType<Config = unknown> {
  description?: string;
  config?: ConfigSchema<Config>;
  create(config: Config, options: NodeOptions & { id: string }): AnyNode<never>;
}

export interface NodeSpec {
  type: string;
  config?: unknown;
}

const specs = new WeakMap<object, NodeSpec>();

/** Records which registered type and config a node stands for, so `toDefinition()` can export it. */
export function describeNode<N extends AnyNode<never>>(node: N, type: string, config?: unknown): N {
  specs.set(node, config === undefined ? { type } : { type, config });
  return node;
}

export function specOf(node: object): NodeSpec | undefined {
  return specs.get(node);
}

/** The node types a definition may use. Nothing outside it can be instantiated from JSON. */
export class NodeRegistry {
  private readonly entries = new Map<string, NodeType<unknown>>();

  register<Config>(type: string, nodeType: NodeType<Config>): this {
    if (type === GRAPH_NODE_TYPE) throw new GraphError("INVALID_OPTIONS", `"${GRAPH_NODE_TYPE}" is reserved for nested graphs.`);
    if (this.entries.has(type)) throw new GraphError("DUPLICATE_NODE", `Node type "${type}" is already registered.`);
    this.entries.set(type, nodeType as NodeType<unknown>);
    return this;
  }

  get(type: string): NodeType<unknown> | undefined {
    return this.entries.get(type);
  }

  has(type: string): boolean {
    return this.entries.has(type);
  }

  types(): string[] {
    return [...this.entries.keys()];
  }
}
