// Agents served over the Agent Protocol of LangGraph servers (deep agents): create a thread, then
// stream a run on it with stream_mode messages + values.
import { z } from "zod";
import { AgentError, defineAdapter, outputText } from "./adapter";
import { call, failureOf } from "./http-errors";
import { jsonOf, readSse } from "./sse";

export const deepagentAdapterConfig = z.object({
  url: z.url({ protocol: /^https?$/ }),
  assistant_id: z.string().min(1).max(200),
  /** Name of an agent secret sent as the x-api-key header. */
  api_key_secret: z.string().min(1).max(200).optional(),
});

const block = z.object({ type: z.string().optional(), text: z.string().optional() }).loose();
const message = z
  .object({ id: z.string().optional(), type: z.string().optional(), role: z.string().optional(), content: z.union([z.string(), z.array(block)]).optional() })
  .loose();
type Message = z.infer<typeof message>;

const textOf = (m: Message) => (typeof m.content === "string" ? m.content : (m.content ?? []).map((b) => b.text ?? "").join(""));
const isAi = (m: Message) => m.type === "ai" || m.type === "AIMessageChunk" || m.role === "assistant" || m.role === "ai";

export const deepagent = defineAdapter({
  description: "A LangGraph / deep agent over the Agent Protocol (threads + runs/stream)",
  config: deepagentAdapterConfig,
  secretsOf: (c) => (c.api_key_secret ? [{ path: ["api_key_secret"], name: c.api_key_secret }] : []),
  async *run({ agent, input, env, signal }) {
    const base = agent.config.url.replace(/\/+$/, "");
    const key = agent.config.api_key_secret ? env.agentSecrets[agent.config.api_key_secret] : undefined;
    const headers = { "content-type": "application/json", ...(key ? { "x-api-key": key } : {}) };
    const threadRes = await call("The agent server", `${base}/threads`, { method: "POST", headers, body: "{}", signal });
    if (!threadRes.ok) throw await failureOf("The agent server", threadRes);
    const thread = z.object({ thread_id: z.string() }).safeParse(await threadRes.json());
    if (!thread.success) throw new AgentError("The agent server created a thread without thread_id");

    const res = await call("The agent server", `${base}/threads/${encodeURIComponent(thread.data.thread_id)}/runs/stream`, {
      method: "POST",
      headers: { ...headers, accept: "text/event-stream" },
      body: JSON.stringify({ assistant_id: agent.config.assistant_id, input: { messages: [{ role: "user", content: input }] }, stream_mode: ["messages", "values"] }),
      signal,
    });
    if (!res.ok || !res.body) throw await failureOf("The agent server", res);

    // messages/partial carries each message's whole text so far: send only what is new.
    const seen = new Map<string, string>();
    let streamed = "";
    let final: string | undefined;
    for await (const m of readSse(res.body, signal)) {
      const data = jsonOf(m);
      if (m.event === "metadata") {
        yield { type: "status", message: "Run started" };
      } else if (m.event === "messages/partial" || m.event === "messages/complete") {
        for (const msg of z.array(message).safeParse(data).data ?? []) {
          if (!isAi(msg)) continue;
          const full = textOf(msg);
          const before = seen.get(msg.id ?? "") ?? "";
          if (full.startsWith(before) && full.length > before.length) {
            streamed += full.slice(before.length);
            yield { type: "delta", text: full.slice(before.length) };
          }
          seen.set(msg.id ?? "", full);
          if (m.event === "messages/complete") final = full;
        }
      } else if (m.event === "messages") {
        // stream_mode "messages-tuple": [chunk, metadata], chunk.content is the new piece.
        const chunk = z.tuple([message], z.unknown()).safeParse(data).data?.[0];
        if (chunk && isAi(chunk) && textOf(chunk)) {
          streamed += textOf(chunk);
          yield { type: "delta", text: textOf(chunk) };
        }
      } else if (m.event === "values") {
        const last = z.object({ messages: z.array(message) }).loose().safeParse(data).data?.messages.filter(isAi).at(-1);
        if (last) final = textOf(last);
      } else if (m.event === "error") {
        const body = z.object({ message: z.string().optional(), error: z.string().optional() }).safeParse(data).data;
        throw new AgentError(`The agent failed: ${body?.message ?? body?.error ?? m.data}`);
      } else if (m.event === "end") {
        break;
      }
    }
    if (signal.aborted) return;
    const output = final ?? streamed;
    // A server streaming only values: show the final answer as one piece.
    if (!streamed && output) yield { type: "delta", text: output };
    yield { type: "done", output: outputText(output) };
  },
});
