// Tools a graph's `tool.call` node may use. Each has a zod schema for its args; unknown tools are
// refused when the definition is validated.
import { renderTemplate, type TemplateState } from "@kayos/kaygraph";
import { z } from "zod";
import type { NexusConfig } from "../env";
import { httpGet } from "./http-get";

/** What a tool runs with besides its args. */
export interface ToolContext {
  shared: TemplateState;
  signal: AbortSignal;
  config: Pick<NexusConfig, "NEXUS_HTTP_ALLOW_HOSTS" | "NEXUS_HTTP_TIMEOUT_MS" | "NEXUS_HTTP_MAX_BYTES">;
}

interface Tool<A extends z.ZodType> {
  description: string;
  args: A;
  run(args: z.infer<A>, ctx: ToolContext): Promise<unknown>;
}
const tool = <A extends z.ZodType>(t: Tool<A>) => t;

export const TOOLS = {
  wait: tool({
    description: "Wait ms milliseconds (timers, pacing between steps)",
    args: z.object({ ms: z.number().int().min(0).max(3_600_000) }),
    run: (args, { signal }) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ waited_ms: args.ms }), args.ms);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
        }, { once: true });
      }),
  }),
  template: tool({
    description: "Render text with {{input.x}} / {{results.step}} placeholders",
    args: z.object({ text: z.string().max(100_000) }),
    run: async (args, { shared }) => renderTemplate(args.text, shared),
  }),
  http_get: tool({
    description:
      "GET a public http(s) URL and return {status, url, body, truncated}: the body's first 100 kB (NEXUS_HTTP_MAX_BYTES) as text; loopback and private addresses are refused unless listed in NEXUS_HTTP_ALLOW_HOSTS",
    args: z.object({ url: z.url({ protocol: /^https?$/, error: "must be an absolute http:// or https:// URL" }).max(8_000) }),
    run: (args, { signal, config }) =>
      httpGet(args.url, { allowHosts: config.NEXUS_HTTP_ALLOW_HOSTS, timeoutMs: config.NEXUS_HTTP_TIMEOUT_MS, maxBytes: config.NEXUS_HTTP_MAX_BYTES }, signal),
  }),
} as const;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];
