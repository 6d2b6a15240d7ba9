import type { AnyNode } from "../base-node.js";
import { GraphDefinitionError, type DefinitionIssue } from "../errors.js";
import { Graph, type GraphOptions } from "../graph.js";
import { describeNode, type NodeRegistry } from "./registry.js";
import { parseConfig } from "./schema.js";
import { GRAPH_NODE_TYPE, type GraphDefinition, type NodeDefinition } from "./types.js";
import { collectIssues } from "./validate.js";

export function validateDefinition(definition: unknown, registry: NodeRegistry): DefinitionIssue[] {
  return collectIssues(definition, registry);
}

/** Validates everything first, then instantiates only registered types: generated JSON never runs as code. */
export function buildGraph<S>(definition: unknown, registry: NodeRegistry, options: GraphOptions = {}): Graph<S> {
  const issues = collectIssues(definition, registry);
  if (issues.length > 0) throw new GraphDefinitionError(issues);
  const graph = instantiate(definition as GraphDefinition, registry, options, "", issues);
  if (issues.length > 0) throw new GraphDefinitionError(issues);
  return graph as Graph<S>;
}

function instantiate(definition: GraphDefinition, registry: NodeRegistry, options: GraphOptions, at: string, issues: DefinitionIssue[]): Graph<unknown> {
  const graph = new Graph<unknown>(undefined, { ...options, id: options.id ?? definition.id, maxSteps: options.maxSteps ?? definition.maxSteps });
  definition.nodes.forEach((node, i) => {
    const path = `${at}nodes[${i}]`;
    const created = node.type === GRAPH_NODE_TYPE ? instantiate(node.graph as GraphDefinition, registry, { id: node.id }, `${path}.graph.`, issues) : create(node, registry, path, issues);
    if (created !== undefined) graph.addNode(node.id, created);
  });
  if (issues.length > 0) return graph;
  graph.start(definition.start);
  for (const edge of definition.edges) graph.addEdge(edge.from, edge.to, edge.action);
  if (definition.params !== undefined) graph.setParams(definition.params);
  return graph;
}

function create(node: NodeDefinition, registry: NodeRegistry, path: string, issues: DefinitionIssue[]): AnyNode | undefined {
  const nodeType = registry.get(node.type);
  if (nodeType === undefined) return undefined;
  const parsed = nodeType.config === undefined ? { ok: true as const, data: node.config } : parseConfig(nodeType.config, node.config);
  if (!parsed.ok) return undefined;
  try {
    const created = nodeType.create(parsed.data, { ...node.options, id: node.id }) as AnyNode;
    created.id = node.id;
    return describeNode(created, node.type, node.config);
  } catch (error) {
    issues.push({ path: `${path}.type`, message: `creating "${node.type}" failed: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
}
