// Definition checks against Nexus's node types: every problem at once, as 400 issues.
import { Graph, type GraphDefinition } from "@kayos/kaygraph";
import { HttpError } from "../../shared/errors";
import { createRegistry } from "./registry";

const registry = createRegistry();

export function definitionIssues(definition: unknown) {
  return Graph.validateDefinition(definition, registry).map((i) => ({ path: i.path || "(definition)", message: i.message }));
}

export function assertValidDefinition(definition: unknown): asserts definition is GraphDefinition {
  const issues = definitionIssues(definition);
  if (issues.length > 0) {
    throw new HttpError(
      400,
      `Invalid graph definition (${issues.length} problem${issues.length > 1 ? "s" : ""}): ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      issues.map((i) => ({ path: `definition.${i.path}`, message: i.message })),
    );
  }
}
