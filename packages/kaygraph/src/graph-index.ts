import type { AnyNode } from "./base-node.js";
import { GraphError } from "./errors.js";

/** Stable ids for the nodes of one graph: addNode names, explicit ids, then generated ones. */
export interface GraphIndex {
  readonly idOf: ReadonlyMap<AnyNode, string>;
  readonly byId: ReadonlyMap<string, AnyNode>;
}

export function buildIndex(graphId: string, start: AnyNode | undefined, named: ReadonlyMap<string, AnyNode>): GraphIndex {
  const idOf = new Map<AnyNode, string>();
  const byId = new Map<string, AnyNode>();
  const assign = (id: string, node: AnyNode): void => {
    const other = byId.get(id);
    if (other !== undefined && other !== node) {
      throw new GraphError("DUPLICATE_NODE", `Graph "${graphId}" has two different nodes with id "${id}"; ids must be unique within a graph.`);
    }
    idOf.set(node, id);
    byId.set(id, node);
  };
  for (const [name, node] of named) if (!idOf.has(node)) assign(name, node);

  // Breadth-first from the start, then from named nodes, so generated ids follow the wiring.
  const order: AnyNode[] = [];
  const seen = new Set<AnyNode>();
  const queue: AnyNode[] = start === undefined ? [...named.values()] : [start, ...named.values()];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as AnyNode;
    if (seen.has(node)) continue;
    seen.add(node);
    order.push(node);
    for (const successor of node._successors.values()) queue.push(successor);
  }
  for (const node of order) if (!idOf.has(node) && node.id !== undefined) assign(node.id, node);
  const counters = new Map<string, number>();
  for (const node of order) {
    if (idOf.has(node)) continue;
    const base = node.constructor.name || "node";
    let n = counters.get(base) ?? 1;
    let id = n === 1 ? base : `${base}_${n}`;
    while (byId.has(id)) id = `${base}_${++n}`;
    counters.set(base, n + 1);
    assign(id, node);
  }
  return { idOf, byId };
}

/** Every node reachable from `root`, including nodes inside nested graphs and fan-out branches. */
export function collectNodes(root: AnyNode): AnyNode[] {
  const seen = new Set<AnyNode>();
  const visit = (node: AnyNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const child of node._children()) visit(child);
  };
  visit(root);
  return [...seen];
}
