import type { Params } from "../types.js";

/** Reserved node type for a nested graph; its definition is in `graph`. */
export const GRAPH_NODE_TYPE = "graph";

export interface DefinitionNodeOptions {
  maxRetries?: number;
  waitMs?: number;
  timeoutMs?: number;
  backoff?: { factor?: number; maxMs?: number; jitter?: number };
}

export interface NodeDefinition {
  id: string;
  /** A type registered in the NodeRegistry, or "graph" for a nested graph. */
  type: string;
  config?: unknown;
  options?: DefinitionNodeOptions;
  graph?: GraphDefinition;
}

export interface EdgeDefinition {
  from: string;
  to: string;
  /** Omitted means "default". */
  action?: string;
}

/** Plain JSON describing a graph: what a planner (human or LLM) may produce and a service may store. */
export interface GraphDefinition {
  version: 1;
  id?: string;
  start: string;
  params?: Params;
  maxSteps?: number;
  nodes: NodeDefinition[];
  edges: EdgeDefinition[];
}
