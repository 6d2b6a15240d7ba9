import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { runAdapter } from "../../test/run-adapter";
import { kaygraphAdapterConfig } from "./kaygraph";

const definition = (url: string) => ({
  version: 1,
  start: "ask",
  nodes: [
    { id: "ask", type: "http.request", config: { url, method: "POST", body: '{"q":"{{input.prompt}}"}' } },
    { id: "pause", type: "wait", config: { ms: 5 } },
    { id: "answer", type: "template", config: { text: "{{input.prompt}} -> {{results.ask.answer}}" } },
  ],
  edges: [
    { from: "ask", to: "pause" },
    { from: "pause", to: "answer" },
  ],
});

describe("kaygraph adapter, inline definition run locally", () => {
  it("runs the graph step by step (a status per step) and answers the last node's result", async () => {
    const seen: unknown[] = [];
    const api = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push(JSON.parse(body));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ answer: 42 }));
      });
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/ask`;
      const r = await runAdapter("kaygraph", { definition: definition(url) }, "life");
      expect(r.error).toBeUndefined();
      expect(r.events.filter((e) => e.type === "status")).toEqual([
        { type: "status", message: "Step 1: ask" },
        { type: "status", message: "Step 2: pause" },
        { type: "status", message: "Step 3: answer" },
      ]);
      expect(seen).toEqual([{ q: "life" }]);
      expect(r.output).toBe("life -> 42");
    } finally {
      await new Promise((r) => api.close(r));
    }
  });

  it("fails the run naming the step's error", async () => {
    const r = await runAdapter("kaygraph", { definition: { version: 1, start: "x", nodes: [{ id: "x", type: "http.request", config: { url: "http://127.0.0.1:9/" } }], edges: [] } }, "q");
    expect(r.error?.message).toMatch(/^The graph failed: /);
  });

  it("refuses node types that need Nexus, listing the local ones, and wants exactly one of definition_id / definition", () => {
    const llm = kaygraphAdapterConfig.safeParse({ definition: { version: 1, start: "a", nodes: [{ id: "a", type: "llm.call", config: { prompt: "hi" } }], edges: [] } });
    expect(llm.error?.issues[0]).toMatchObject({ path: ["definition", "nodes", 0, "type"] });
    expect(llm.error?.issues[0]?.message).toMatch(/template/);
    expect(kaygraphAdapterConfig.safeParse({}).success).toBe(false);
    expect(kaygraphAdapterConfig.safeParse({ definition_id: "g1", definition: {} }).success).toBe(false);
    expect(kaygraphAdapterConfig.safeParse({ definition_id: "g1" }).success).toBe(true);
  });
});
