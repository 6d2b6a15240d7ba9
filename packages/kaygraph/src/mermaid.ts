import type { AnyNode } from "./base-node.js";
import type { GraphIndex } from "./graph-index.js";

interface MermaidGraph {
  readonly graphId: string;
  _index(): GraphIndex;
  _startNode(): AnyNode;
}

function isGraph(node: AnyNode): node is AnyNode & MermaidGraph {
  return typeof (node as Partial<MermaidGraph>)._index === "function";
}

function isFanOut(node: AnyNode): node is AnyNode & { _branches: ReadonlyMap<string, AnyNode & MermaidGraph> } {
  return (node as { _branches?: unknown })._branches instanceof Map;
}

const label = (text: string): string => `"${text.replace(/"/g, "#quot;")}"`;

/** Mermaid flowchart of a graph: edges labelled by action, nested graphs as subgraphs. */
export function toMermaid(graph: MermaidGraph): string {
  const lines = ["flowchart TD"];
  render(graph, "n", lines, "  ");
  return lines.join("\n");
}

/** Renders one graph level and returns the Mermaid id of its start node. */
function render(graph: MermaidGraph, prefix: string, lines: string[], indent: string): string {
  const { byId, idOf } = graph._index();
  const mermaidIds = new Map<AnyNode, string>();
  let i = 0;
  for (const node of byId.values()) mermaidIds.set(node, `${prefix}${i++}`);
  for (const [id, node] of byId) {
    const mid = mermaidIds.get(node) as string;
    if (isGraph(node)) {
      lines.push(`${indent}subgraph ${mid}[${label(id)}]`);
      render(node, `${mid}_`, lines, `${indent}  `);
      lines.push(`${indent}end`);
    } else if (isFanOut(node)) {
      lines.push(`${indent}${mid}{{${label(id)}}}`);
      for (const [name, branch] of node._branches) {
        const sub = `${mid}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
        lines.push(`${indent}subgraph ${sub}[${label(name)}]`);
        const entry = render(branch, `${sub}_`, lines, `${indent}  `);
        lines.push(`${indent}end`);
        lines.push(`${indent}${mid} -.->|${label(name)}| ${entry}`);
      }
    } else {
      lines.push(`${indent}${mid}[${label(id)}]`);
    }
  }
  for (const node of byId.values()) {
    for (const [action, target] of node._successors) {
      lines.push(`${indent}${mermaidIds.get(node)} -->|${label(action)}| ${mermaidIds.get(target) ?? idOf.get(target)}`);
    }
  }
  return mermaidIds.get(graph._startNode()) ?? `${prefix}0`;
}
