// Runs a stored KayGraph definition with the given input, durably (see graph/run-graph.ts).
import type { GraphDefinition } from "@kayos/kaygraph";
import { HttpError } from "../../shared/errors";
import { assertValidDefinition } from "../graph/validate";
import { runGraph } from "../graph/run-graph";
import type { AgentType } from "./types";

export const kaygraph: AgentType = {
  name: "kaygraph",
  description: "Run a stored KayGraph definition (definition_id) with input; the prompt, if any, is input.prompt",
  requiresPrompt: false,
  durable: true,
  async prepare(organizationId, body, deps) {
    const id = body.definition_id ?? (typeof body.context?.definition_id === "string" ? body.context.definition_id : undefined);
    if (!id) {
      throw new HttpError(400, "agent_type kaygraph needs definition_id: the id of a stored graph (POST /api/v1/graphs)", [
        { path: "body.definition_id", message: "is required for agent_type kaygraph" },
      ]);
    }
    const row = await deps.graphs.get(organizationId, id);
    // Stored definitions were valid when saved; node types may have changed since.
    assertValidDefinition(row.definition);
    return { definitionId: row.id };
  },
  async run(ctx) {
    const row = await ctx.deps.graphs.get(ctx.organizationId, ctx.definitionId!);
    const definition = row.definition as unknown as GraphDefinition;
    const input = { ...ctx.input.input, ...(ctx.input.prompt ? { prompt: ctx.input.prompt } : {}) };
    return runGraph(ctx, { ...definition, id: definition.id ?? `graph-${row.id}` }, input);
  },
};
