// KayGraph agents: a stored definition runs on Nexus (definition_id); an inline definition runs here
// with @kayos/kaygraph over the local node types, reporting each step.
import { Graph, type GraphDefinition, type GraphEvent, type TemplateState } from "@kayos/kaygraph";
import { z } from "zod";
import { AgentError, defineAdapter, outputText, type AdapterEvent } from "./adapter";
import { channel } from "./channel";
import { localRegistry } from "./local-nodes";
import { executeOnNexus } from "./nexus-client";

export const kaygraphAdapterConfig = z
  .object({
    definition_id: z.string().min(1).max(200).optional(),
    definition: z.unknown().optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.definition_id === undefined) === (c.definition === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: "give exactly one of definition_id (a graph stored in Nexus) or definition (an inline graph)" });
      return;
    }
    if (c.definition === undefined) return;
    for (const issue of Graph.validateDefinition(c.definition, localRegistry())) {
      ctx.addIssue({ code: "custom", path: ["definition", ...issue.path.split(/[.[\]]+/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k))], message: issue.message });
    }
  });

export const kaygraph = defineAdapter({
  description: "A KayGraph definition: stored in Nexus (definition_id) or inline, run locally",
  config: kaygraphAdapterConfig,
  needsNexus: (c) => typeof c.definition_id === "string",
  async *run({ agent, input, env, signal }) {
    if (agent.config.definition_id) {
      yield* executeOnNexus(env, { agent_type: "kaygraph", definition_id: agent.config.definition_id, prompt: input }, signal);
      return;
    }
    yield* runLocally(agent.config.definition as GraphDefinition, input, signal);
  },
});

async function* runLocally(definition: GraphDefinition, input: string, signal: AbortSignal): AsyncGenerator<AdapterEvent> {
  const graph = Graph.fromDefinition<TemplateState>(definition, localRegistry());
  const shared: TemplateState = { input: { prompt: input }, results: {} };
  const events = channel<AdapterEvent>();
  let last: string | undefined;
  const onEvent = (e: GraphEvent) => {
    if (e.type === "node:start") events.push({ type: "status", message: `Step ${e.step}: ${e.nodeId}` });
    else if (e.type === "node:end") last = e.nodeId;
    else if (e.type === "node:retry") events.push({ type: "status", message: `Retrying ${e.nodeId}` });
  };
  let failure: unknown;
  const run = graph
    .run(shared, { signal, onEvent })
    .catch((error: unknown) => void (failure = error))
    .finally(() => events.close());
  yield* events.drain();
  await run;
  if (signal.aborted) return;
  if (failure) throw new AgentError(`The graph failed: ${failure instanceof Error ? failure.message : String(failure)}`);
  const output = outputText(last === undefined ? undefined : shared.results[last]);
  if (output) yield { type: "delta", text: output };
  yield { type: "done", output };
}
