// What every adapter is: a config schema (checked when the config file loads) and a run that turns
// one input into a stream of text deltas, progress messages and a final output.
import type { z } from "zod";

export type AdapterEvent =
  | { type: "delta"; text: string }
  | { type: "status"; message: string }
  /** The agent waits for the person's answer to `question`; `answer` sends it and the run goes on. */
  | { type: "question"; question: string; answer: (text: string) => Promise<void> }
  | { type: "done"; output: string };

/** The parts of the config and secrets files a run may use. */
export interface RunEnvironment {
  nexusUrl?: string;
  nexusApiKey?: string;
  agentSecrets: Record<string, string>;
}

export interface RunRequest<Config> {
  agent: { id: string; name: string; type: string; config: Config };
  input: string;
  runId: string;
  user: { tenant: string };
  env: RunEnvironment;
  signal: AbortSignal;
}

export interface SecretRef {
  /** Path inside the agent's config, e.g. ["api_key_secret"]. */
  path: string[];
  name: string;
}

export interface Adapter<Schema extends z.ZodType = z.ZodType> {
  description: string;
  config: Schema;
  /** True when this agent needs services.nexus_url and the secrets' nexus_api_key. */
  needsNexus?(config: Record<string, unknown>): boolean;
  /** Named secrets this agent refers to, checked against the secrets file at start. */
  secretsOf?(config: z.infer<Schema>): SecretRef[];
  run(request: RunRequest<z.infer<Schema>>): AsyncIterable<AdapterEvent>;
}

export const defineAdapter = <Schema extends z.ZodType>(adapter: Adapter<Schema>) => adapter;

/** A stored output is text; structured results are shown as indented JSON. */
export const outputText = (value: unknown): string =>
  typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value, null, 2);

/** An error whose message an end user can act on (shown as is). */
export class AgentError extends Error {
  override name = "AgentError";
}
