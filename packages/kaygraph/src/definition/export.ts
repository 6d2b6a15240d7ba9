import type { AnyNode } from "../base-node.js";
import { GraphError } from "../errors.js";
import type { GraphIndex } from "../graph-index.js";
import { DEFAULT_NODE_OPTIONS } from "../options.js";
import { DEFAULT_ACTION, type Params } from "../types.js";
import { specOf } from "./registry.js";
import { GRAPH_NODE_TYPE, type DefinitionNodeOptions, type GraphDefinition, type NodeDefinition } from "./types.js";

interface ExportableGraph {
  readonly graphId: string;
  readonly id: string | undefined;
  readonly _maxSteps: number | undefined;
  readonly _params: Params;
  _index(): GraphIndex;
  _startNode(): AnyNode;
}

/** Exports a graph whose nodes were built from a registry (or marked with describeNode). */
export function exportDefinition(graph: ExportableGraph): GraphDefinition {
  const problems: string[] = [];
  const definition = exportGraph(graph, problems, true);
  if (problems.length > 0) {
    throw new GraphError("NOT_DESCRIBABLE", `Graph "${graph.graphId}" cannot be exported:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return definition;
}

function isPlainGraph(node: AnyNode): node is AnyNode & ExportableGraph {
  // Subclasses (batch graphs, custom prep/post) carry code that JSON cannot describe.
  return node.constructor.name === "Graph" && typeof (node as Partial<ExportableGraph>)._index === "function";
}

function exportGraph(graph: ExportableGraph, problems: string[], root: boolean): GraphDefinition {
  const { byId, idOf } = graph._index();
  const nodes: NodeDefinition[] = [];
  const edges: GraphDefinition["edges"] = [];
  for (const [id, node] of byId) {
    const spec = specOf(node);
    const options = exportOptions(node);
    if (spec !== undefined) {
      nodes.push({ id, type: spec.type, ...(spec.config === undefined ? {} : { config: spec.config }), ...(options ? { options } : {}) });
    } else if (isPlainGraph(node)) {
      nodes.push({ id, type: GRAPH_NODE_TYPE, graph: exportGraph(node, problems, false) });
    } else {
      problems.push(`node "${id}" (${node.constructor.name}) has no registered type: build it with Graph.fromDefinition or mark it with describeNode()`);
    }
    for (const [action, target] of node._successors) {
      edges.push({ from: id, to: idOf.get(target) as string, ...(action === DEFAULT_ACTION ? {} : { action }) });
    }
  }
  // A nested graph's id is its node id in the parent, so only the root carries one.
  return {
    version: 1,
    ...(root && graph.id !== undefined ? { id: graph.id } : {}),
    start: idOf.get(graph._startNode()) as string,
    ...(Object.keys(graph._params).length > 0 ? { params: { ...graph._params } } : {}),
    ...(graph._maxSteps !== undefined ? { maxSteps: graph._maxSteps } : {}),
    nodes,
    edges,
  };
}

function exportOptions(node: AnyNode): DefinitionNodeOptions | undefined {
  const o = node._opts;
  const out: DefinitionNodeOptions = {};
  if (o.maxRetries !== DEFAULT_NODE_OPTIONS.maxRetries) out.maxRetries = o.maxRetries;
  if (o.waitMs !== DEFAULT_NODE_OPTIONS.waitMs) out.waitMs = o.waitMs;
  if (o.timeoutMs !== undefined) out.timeoutMs = o.timeoutMs;
  if (o.backoff !== undefined) {
    out.backoff = { factor: o.backoff.factor, jitter: o.backoff.jitter };
    if (Number.isFinite(o.backoff.maxMs)) out.backoff.maxMs = o.backoff.maxMs;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
