// Starts a Nexus execution and follows its SSE stream (resuming by Last-Event-ID if the connection
// drops), translating Nexus events into adapter events. Shared by the nexus and kaygraph adapters.
import { executeResponse, streamEventData, type ExecuteBody } from "@kayos/contracts";
import { AgentError, outputText, type AdapterEvent, type RunEnvironment } from "./adapter";
import { call, failureOf } from "./http-errors";
import { readSse } from "./sse";

const RECONNECTS = 3;

function nexusOf(env: RunEnvironment) {
  if (!env.nexusUrl || !env.nexusApiKey) {
    throw new AgentError("This agent runs through Nexus, but services.nexus_url or nexus_api_key is not set; ask your administrator to redeploy");
  }
  return { base: env.nexusUrl.replace(/\/+$/, ""), headers: { authorization: `Bearer ${env.nexusApiKey}` } };
}

async function post(env: RunEnvironment, path: string, body: unknown, signal: AbortSignal) {
  const nexus = nexusOf(env);
  const res = await call("Nexus", `${nexus.base}${path}`, {
    method: "POST",
    headers: { ...nexus.headers, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw await failureOf("Nexus", res);
  return res.json() as Promise<unknown>;
}

/** A conversation carrying a system prompt (execute itself has no system field). */
export async function createConversation(env: RunEnvironment, body: { agent_type: string; system: string }, signal: AbortSignal) {
  const created = (await post(env, "/api/v1/conversations", body, signal)) as { id?: unknown };
  if (typeof created.id !== "string") throw new AgentError("Nexus answered a conversation without an id");
  return created.id;
}

export async function* executeOnNexus(env: RunEnvironment, body: ExecuteBody, signal: AbortSignal): AsyncGenerator<AdapterEvent> {
  const started = executeResponse.parse(await post(env, "/api/v1/agents/execute", body, signal));
  const nexus = nexusOf(env);
  const streamUrl = new URL(started.stream_url, `${nexus.base}/`).toString();
  const stop = () => void fetch(`${nexus.base}/api/v1/agents/${started.id}/stop`, { method: "POST", headers: nexus.headers }).catch(() => undefined);
  signal.addEventListener("abort", stop, { once: true });
  let lastId = 0;
  let text = "";
  let result: unknown;
  let failure: string | undefined;
  try {
    for (let attempt = 0; attempt <= RECONNECTS; attempt++) {
      const res = await call("Nexus", streamUrl, { headers: { ...nexus.headers, accept: "text/event-stream", ...(lastId ? { "last-event-id": String(lastId) } : {}) }, signal });
      if (!res.ok || !res.body) throw await failureOf("Nexus", res);
      for await (const message of readSse(res.body, signal)) {
        if (message.id) lastId = Number(message.id) || lastId;
        const data = JSON.parse(message.data) as unknown;
        switch (message.event) {
          case "token": {
            const t = streamEventData.token.parse(data).text;
            text += t;
            yield { type: "delta", text: t };
            break;
          }
          case "step": {
            const step = streamEventData.step.parse(data);
            if (step.state !== "finished") yield { type: "status", message: `Step ${step.node_id} ${step.state}${step.error ? `: ${step.error}` : ""}` };
            break;
          }
          case "plan":
            yield { type: "status", message: "Plan ready" };
            break;
          case "waiting": {
            const { question } = streamEventData.waiting.parse(data);
            yield { type: "question", question: outputText(question), answer: async (answer) => void (await post(env, `/api/v1/agents/${started.id}/answer`, { answer }, signal)) };
            break;
          }
          case "result":
            result = streamEventData.result.parse(data).result;
            break;
          case "error":
            failure = streamEventData.error.parse(data).message;
            break;
          case "done": {
            const done = streamEventData.done.parse(data);
            if (done.status !== "succeeded") throw new AgentError(`The agent ${done.status}: ${done.error ?? failure ?? "no reason given"}`);
            yield { type: "done", output: text || outputOf(result) };
            return;
          }
        }
      }
      if (signal.aborted) return;
    }
    throw new AgentError("The connection to Nexus kept dropping before the run finished; try again");
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

/** claude-conversational results are {text}; graphs {results}; anything else as JSON. */
function outputOf(result: unknown): string {
  if (result && typeof result === "object") {
    const r = result as { text?: unknown; results?: unknown };
    if (typeof r.text === "string") return r.text;
    if (r.results && typeof r.results === "object") {
      const values = Object.values(r.results);
      return outputText(values.at(-1));
    }
  }
  return outputText(result);
}
