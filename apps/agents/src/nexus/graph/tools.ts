// Tools a graph's `tool.call` node may use. Each has a zod schema for its args; unknown tools are
// refused when the definition is validated.
import { renderTemplate, type TemplateState } from "@kayos/kaygraph";
import { z } from "zod";

interface Tool<A extends z.ZodType> {
  description: string;
  args: A;
  run(args: z.infer<A>, shared: TemplateState, signal: AbortSignal): Promise<unknown>;
}
const tool = <A extends z.ZodType>(t: Tool<A>) => t;

export const TOOLS = {
  wait: tool({
    description: "Wait ms milliseconds (timers, pacing between steps)",
    args: z.object({ ms: z.number().int().min(0).max(3_600_000) }),
    run: (args, _shared, signal) =>
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
    run: async (args, shared) => renderTemplate(args.text, shared),
  }),
  http_get: tool({
    description: "GET a URL and return its status and up to 100 kB of text",
    args: z.object({ url: z.url() }),
    run: async (args, _shared, signal) => {
      const res = await fetch(args.url, { signal });
      return { status: res.status, body: (await res.text()).slice(0, 100_000) };
    },
  }),
} as const;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];
