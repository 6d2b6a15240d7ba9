// Custom agents behind a URL, speaking the Command Center's HTTP protocol (README "HTTP agents"):
// POST {input, run_id, user: {tenant}}; the answer is SSE (delta/status/done/error) or JSON {output}.
import { z } from "zod";
import { AgentError, defineAdapter, outputText, type RunEnvironment } from "./adapter";
import { call, failureOf } from "./http-errors";
import { jsonOf, readSse } from "./sse";

export const httpAdapterConfig = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** Name of an agent secret: a JSON object of headers, or a token sent as `Authorization: Bearer`. */
  headers_secret: z.string().min(1).max(200).optional(),
});

const deltaData = z.object({ text: z.string() });
const statusData = z.object({ message: z.string() });
const doneData = z.object({ output: z.unknown() });
const errorData = z.object({ message: z.string() });

function headersFrom(name: string | undefined, env: RunEnvironment): Record<string, string> {
  if (!name) return {};
  const value = env.agentSecrets[name];
  if (value === undefined) throw new AgentError(`The agent's secret "${name}" is missing from the secrets file; ask your administrator to redeploy`);
  try {
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(value));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: a bare token
  }
  return { authorization: `Bearer ${value}` };
}

export const http = defineAdapter({
  description: "A custom agent at a URL (JSON or SSE answer)",
  config: httpAdapterConfig,
  secretsOf: (c) => (c.headers_secret ? [{ path: ["headers_secret"], name: c.headers_secret }] : []),
  async *run({ agent, input, runId, user, env, signal }) {
    const { url } = agent.config;
    const res = await call("The agent's server", url, {
      method: "POST",
      headers: { ...headersFrom(agent.config.headers_secret, env), "content-type": "application/json", accept: "text/event-stream, application/json" },
      body: JSON.stringify({ input, run_id: runId, user }),
      signal,
    });
    if (!res.ok) throw await failureOf("The agent's server", res);
    if (!res.headers.get("content-type")?.includes("text/event-stream")) {
      const body = doneData.safeParse(await res.json().catch(() => undefined));
      if (!body.success) throw new AgentError("The agent's server answered without {output}; see the HTTP agent protocol in the README");
      yield { type: "done", output: outputText(body.data.output) };
      return;
    }
    if (!res.body) throw new AgentError("The agent's server answered an empty stream");
    let text = "";
    for await (const message of readSse(res.body, signal)) {
      const data = jsonOf(message);
      if (message.event === "delta") {
        const d = deltaData.safeParse(data);
        if (d.success) {
          text += d.data.text;
          yield { type: "delta", text: d.data.text };
        }
      } else if (message.event === "status") {
        const s = statusData.safeParse(data);
        if (s.success) yield { type: "status", message: s.data.message };
      } else if (message.event === "error") {
        throw new AgentError(`The agent failed: ${errorData.safeParse(data).data?.message ?? message.data}`);
      } else if (message.event === "done") {
        const d = doneData.safeParse(data);
        yield { type: "done", output: d.success && d.data.output !== undefined ? outputText(d.data.output) : text };
        return;
      }
    }
    if (signal.aborted) return;
    throw new AgentError("The agent's stream ended without a done event; see the HTTP agent protocol in the README");
  },
});
