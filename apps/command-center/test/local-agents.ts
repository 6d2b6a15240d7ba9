// Real counterparts on 127.0.0.1 for the adapters: a custom HTTP agent (SSE and JSON answers) and a
// small Agent Protocol server (LangGraph's threads + runs/stream), each recording what it was sent.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function sse(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  return (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => Promise<void>) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    void bodyOf(req)
      .then(async (body) => {
        requests.push({ path: req.url ?? "", headers: req.headers, body });
        await handler(req, res, body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** POST /sse: streams "Hello, <input>!" in pieces; /json: {output}; /fail: 502; /slow: 20 pieces 25 ms apart; /broken: ends early. */
export function startHttpAgent() {
  return listen(async (req, res, body) => {
    const input = String(body.input ?? "");
    if (req.url === "/json") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ output: `JSON says: ${input}` }));
    } else if (req.url === "/sse") {
      const send = sse(res);
      send("status", { message: "Thinking" });
      for (const piece of ["Hello, ", input, "!"]) {
        send("delta", { text: piece });
        await sleep(5);
      }
      send("done", { output: `Hello, ${input}!` });
      res.end();
    } else if (req.url === "/slow") {
      const send = sse(res);
      for (let i = 0; i < 20; i++) {
        send("delta", { text: `${i} ` });
        await sleep(25);
      }
      send("done", {});
      res.end();
    } else if (req.url === "/fail") {
      res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ message: "upstream model is down" }));
    } else if (req.url === "/broken") {
      sse(res)("delta", { text: "half" });
      res.end();
    } else {
      res.writeHead(404).end();
    }
  });
}

/** threads + runs/stream; the reply is "You said: <content>" streamed as cumulative messages/partial. */
export function startAgentProtocolServer(opts: { apiKey?: string } = {}) {
  let threads = 0;
  return listen(async (req, res, body) => {
    if (opts.apiKey && req.headers["x-api-key"] !== opts.apiKey) {
      res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ detail: "Invalid API key" }));
      return;
    }
    if (req.method === "POST" && req.url === "/threads") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ thread_id: `thread-${++threads}`, status: "idle" }));
      return;
    }
    const match = /^\/threads\/([^/]+)\/runs\/stream$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) {
      res.writeHead(404).end();
      return;
    }
    const input = body.input as { messages: { role: string; content: string }[] };
    const user = input.messages[0]!.content;
    const answer = `You said: ${user}`;
    const send = sse(res);
    send("metadata", { run_id: "run-1", thread_id: match[1] });
    const human = { id: "h1", type: "human", content: user };
    for (let end = 4; end < answer.length + 4; end += 4) {
      send("messages/partial", [{ id: "ai-1", type: "ai", content: [{ type: "text", text: answer.slice(0, end) }] }]);
      await sleep(5);
    }
    send("values", { messages: [human, { id: "ai-1", type: "ai", content: answer }] });
    send("end", null);
    res.end();
  });
}
