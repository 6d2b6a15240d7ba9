import type { DefinitionIssue } from "../errors.js";
import type { NodeRegistry } from "./registry.js";
import { parseConfig } from "./schema.js";
import { GRAPH_NODE_TYPE } from "./types.js";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const isName = (value: unknown): value is string => typeof value === "string" && value.length > 0;
const OPTION_KEYS = new Set(["maxRetries", "waitMs", "timeoutMs", "backoff"]);

/** Collects every problem of a definition instead of stopping at the first. */
export function collectIssues(definition: unknown, registry: NodeRegistry, at = ""): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const report = (path: string, message: string): void => {
    issues.push({ path: at && path ? `${at}.${path}` : at || path, message });
  };
  if (!isObject(definition)) {
    report("", "a graph definition must be an object");
    return issues;
  }
  const { version, id, start, params, maxSteps, nodes, edges } = definition;
  if (version !== 1) report("version", `must be 1, got ${JSON.stringify(version)}`);
  if (id !== undefined && !isName(id)) report("id", "must be a non-empty string");
  if (params !== undefined && !isObject(params)) report("params", "must be an object");
  if (maxSteps !== undefined && !(Number.isInteger(maxSteps) && (maxSteps as number) >= 1)) report("maxSteps", "must be an integer >= 1");

  const ids = new Set<string>();
  if (!Array.isArray(nodes) || nodes.length === 0) report("nodes", "must be a non-empty array");
  else {
    nodes.forEach((node: unknown, i) => {
      const path = `nodes[${i}]`;
      if (!isObject(node)) return report(path, "must be an object");
      if (!isName(node.id)) report(`${path}.id`, "must be a non-empty string");
      else if (ids.has(node.id)) report(`${path}.id`, `duplicate node id "${node.id}"`);
      else ids.add(node.id);
      checkOptions(node.options, `${path}.options`, report);
      if (node.type === GRAPH_NODE_TYPE) {
        issues.push(...collectIssues(node.graph, registry, at ? `${at}.${path}.graph` : `${path}.graph`));
        return;
      }
      if (!isName(node.type)) return report(`${path}.type`, "must be a non-empty string");
      const nodeType = registry.get(node.type);
      if (nodeType === undefined) {
        const known = registry.types().map((t) => `"${t}"`).join(", ") || "none";
        return report(`${path}.type`, `unregistered node type "${node.type}" (registered: ${known})`);
      }
      if (nodeType.config === undefined) return;
      const parsed = parseConfig(nodeType.config, node.config);
      if (!parsed.ok) for (const issue of parsed.issues) report(`${path}.config${issue.path ? `.${issue.path}` : ""}`, issue.message);
    });
  }

  if (!isName(start)) report("start", "must name a node");
  else if (Array.isArray(nodes) && !ids.has(start)) report("start", `unknown node "${start}"`);

  const adjacency = new Map<string, string[]>();
  const wired = new Set<string>();
  if (!Array.isArray(edges)) report("edges", "must be an array");
  else {
    edges.forEach((edge: unknown, i) => {
      const path = `edges[${i}]`;
      if (!isObject(edge)) return report(path, "must be an object");
      for (const end of ["from", "to"] as const) {
        if (!isName(edge[end])) report(`${path}.${end}`, "must name a node");
        else if (!ids.has(edge[end] as string)) report(`${path}.${end}`, `unknown node "${edge[end] as string}"`);
      }
      if (edge.action !== undefined && !isName(edge.action)) report(`${path}.action`, "must be a non-empty string");
      const key = `${String(edge.from)}\u0000${String(edge.action ?? "default")}`;
      if (wired.has(key)) report(path, `node "${String(edge.from)}" already has an edge for action "${String(edge.action ?? "default")}"`);
      wired.add(key);
      if (isName(edge.from) && isName(edge.to)) adjacency.set(edge.from, [...(adjacency.get(edge.from) ?? []), edge.to]);
    });
  }

  if (isName(start) && ids.has(start)) {
    const reached = new Set([start]);
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const next of adjacency.get(queue[i] as string) ?? []) {
        if (reached.has(next)) continue;
        reached.add(next);
        queue.push(next);
      }
    }
    for (const nodeId of ids) if (!reached.has(nodeId)) report("nodes", `node "${nodeId}" is not reachable from start "${start}"`);
  }
  return issues;
}

function checkOptions(options: unknown, path: string, report: (path: string, message: string) => void): void {
  if (options === undefined) return;
  if (!isObject(options)) return report(path, "must be an object");
  for (const key of Object.keys(options)) if (!OPTION_KEYS.has(key)) report(`${path}.${key}`, "unknown option");
  const { maxRetries, waitMs, timeoutMs, backoff } = options;
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && (maxRetries as number) >= 1)) report(`${path}.maxRetries`, "must be an integer >= 1");
  if (waitMs !== undefined && !(typeof waitMs === "number" && waitMs >= 0)) report(`${path}.waitMs`, "must be a number >= 0");
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0)) report(`${path}.timeoutMs`, "must be a number > 0");
  if (backoff !== undefined) {
    if (!isObject(backoff)) return report(`${path}.backoff`, "must be an object");
    const { factor, maxMs, jitter } = backoff;
    if (factor !== undefined && !(typeof factor === "number" && factor >= 1)) report(`${path}.backoff.factor`, "must be a number >= 1");
    if (maxMs !== undefined && !(typeof maxMs === "number" && maxMs >= 0)) report(`${path}.backoff.maxMs`, "must be a number >= 0");
    if (jitter !== undefined && !(typeof jitter === "number" && jitter >= 0 && jitter <= 1)) report(`${path}.backoff.jitter`, "must be within 0..1");
  }
}
