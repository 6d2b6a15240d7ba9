// Stored graphs run through the API cannot reach internal services with http_get (unless listed in
// NEXUS_HTTP_ALLOW_HOSTS) and cannot loop forever (NEXUS_GRAPH_MAX_STEPS / a definition's maxSteps).
import type { ErrorBody, ExecuteResponse, ExecutionView, GraphView } from "@kayos/contracts";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNexus, type SseEvent } from "./test-harness";

interface Local {
  url: string;
  port: number;
  hits: string[];
  close: () => Promise<void>;
}

/** A local HTTP server standing in for an internal service (KaySmith on 127.0.0.1, say). */
async function local(handler: (path: string, res: http.ServerResponse) => void): Promise<Local> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req.url ?? "/", res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

let nx: Awaited<ReturnType<typeof startNexus>>;
let internal: Local;
let listed: Local;
beforeAll(async () => {
  internal = await local((path, res) => res.end(path === "/openapi.json" ? '{"openapi":"internal"}' : "internal"));
  listed = await local((path, res) => {
    if (path === "/hello") return void res.end("hello from a listed host");
    if (path === "/to-internal") return void res.writeHead(302, { location: `${internal.url}/openapi.json` }).end();
    if (path === "/slow") return void setTimeout(() => res.end("late"), 10_000).unref();
    if (path === "/huge") {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, "y");
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      return pump();
    }
    res.writeHead(404).end();
  });
  nx = await startNexus({
    NEXUS_HTTP_ALLOW_HOSTS: [{ host: "127.0.0.1", port: listed.port }],
    NEXUS_HTTP_TIMEOUT_MS: 500,
    NEXUS_HTTP_MAX_BYTES: 50_000,
    NEXUS_GRAPH_MAX_STEPS: 20,
    NEXUS_GRAPH_MAX_STEPS_LIMIT: 40,
  });
});
afterAll(async () => {
  await nx?.stop();
  await listed?.close();
  await internal?.close();
});

const view = async (id: string) => (await nx.call<ExecutionView>("GET", `/api/v1/agents/${id}`)).body;
const stepsOf = (events: SseEvent[], state: string) => events.filter((e) => e.event === "step" && e.data.state === state).map((e) => e.data.node_id);

/** Stores `definition`, runs it and returns the finished execution and its events. */
async function run(name: string, definition: Record<string, unknown>) {
  const stored = await nx.call<GraphView>("POST", "/api/v1/graphs", { body: { name, definition } });
  expect(stored.status, JSON.stringify(stored.body)).toBe(201);
  const started = await nx.call<ExecuteResponse>("POST", `/api/v1/graphs/${stored.body.id}/run`, { body: {} });
  const s = await nx.stream(started.body.stream_url, { timeoutMs: 20_000 });
  return { v: await view(started.body.id), events: s.events };
}

const fetchGraph = (url: string) => ({
  version: 1,
  start: "get",
  nodes: [{ id: "get", type: "tool.call", config: { tool: "http_get", args: { url } } }],
  edges: [],
});

describe("http_get in stored graphs", () => {
  it("refuses a loopback service (the review's KaySmith /openapi.json) with what was refused and how to allow it", async () => {
    const { v } = await run("ssrf", fetchGraph(`${internal.url}/openapi.json`));
    expect(v.status).toBe("failed");
    expect(v.error).toBe(
      `http_get refused 127.0.0.1:${internal.port} (a loopback address): loopback and private addresses are not reachable from graphs; list the host in NEXUS_HTTP_ALLOW_HOSTS to allow it (e.g. NEXUS_HTTP_ALLOW_HOSTS=127.0.0.1:${internal.port})`,
    );
    expect(JSON.stringify(v)).not.toContain("internal");
    expect(internal.hits).toEqual([]);
  });

  it("refuses cloud metadata and localhost alike", async () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", `http://localhost:${internal.port}/`]) {
      const { v } = await run("ssrf-more", fetchGraph(url));
      expect(v.error, url).toMatch(/^http_get refused .* address.*NEXUS_HTTP_ALLOW_HOSTS/);
    }
    expect(internal.hits).toEqual([]);
  });

  it("fetches a host listed in NEXUS_HTTP_ALLOW_HOSTS", async () => {
    const { v } = await run("listed", fetchGraph(`${listed.url}/hello`));
    expect(v).toMatchObject({ status: "succeeded", result: { results: { get: { status: 200, url: `${listed.url}/hello`, body: "hello from a listed host", truncated: false } } } });
  });

  it("refuses a redirect from a listed host to an internal one", async () => {
    const { v } = await run("redirect", fetchGraph(`${listed.url}/to-internal`));
    expect(v.status).toBe("failed");
    expect(v.error).toContain(`http_get refused 127.0.0.1:${internal.port} (a loopback address, redirected from ${listed.url}/to-internal)`);
    expect(internal.hits).toEqual([]);
  });

  it("times out a slow server (NEXUS_HTTP_TIMEOUT_MS)", async () => {
    const t = Date.now();
    const { v } = await run("slow", fetchGraph(`${listed.url}/slow`));
    expect(v.error).toBe(`http_get timed out after 500 ms fetching ${listed.url}/slow; raise NEXUS_HTTP_TIMEOUT_MS to wait longer`);
    expect(Date.now() - t).toBeLessThan(5_000);
  });

  it("cuts an endless body at NEXUS_HTTP_MAX_BYTES and marks it truncated", async () => {
    const { v } = await run("huge", fetchGraph(`${listed.url}/huge`));
    const got = (v.result as { results: { get: { body: string; truncated: boolean } } }).results.get;
    expect(v.status).toBe("succeeded");
    expect(got.truncated).toBe(true);
    expect(got.body).toHaveLength(50_000);
  });

  it("refuses a file:// URL when the graph is stored, naming the field", async () => {
    const res = await nx.call<ErrorBody>("POST", "/api/v1/graphs", { body: { name: "file", definition: fetchGraph("file:///etc/passwd") } });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: "definition.nodes[0].config.args.url", message: "must be an absolute http:// or https:// URL" }]);
  });
});

describe("step limit", () => {
  const LOOP = {
    version: 1,
    start: "a",
    nodes: [
      { id: "a", type: "tool.call", config: { tool: "wait", args: { ms: 1 } } },
      { id: "b", type: "tool.call", config: { tool: "template", args: { text: "again" } } },
    ],
    edges: [
      { from: "a", to: "b" },
      { from: "b", to: "a" },
    ],
  };

  it("stops a looping graph after NEXUS_GRAPH_MAX_STEPS, naming the loop and keeping finished results", async () => {
    const { v, events } = await run("loop", LOOP);
    expect(v.status).toBe("failed");
    expect(v.error).toBe(
      "Graph stopped after 20 steps: the graph loops (a→b→a); raise NEXUS_GRAPH_MAX_STEPS (now 20) or the definition's maxSteps (up to NEXUS_GRAPH_MAX_STEPS_LIMIT=40) or add an exit condition",
    );
    expect(stepsOf(events, "finished")).toHaveLength(20);
    expect(v.result).toEqual({ results: { a: { waited_ms: 1 }, b: "again" } });
    expect(events.at(-1)).toMatchObject({ event: "done", data: { status: "failed" } });
  });

  it("takes a definition's maxSteps, capped by NEXUS_GRAPH_MAX_STEPS_LIMIT", async () => {
    const own = await run("loop-own", { ...LOOP, maxSteps: 6 });
    expect(own.v.error).toMatch(/^Graph stopped after 6 steps: the graph loops \(a→b→a\); raise the definition's maxSteps \(now 6; up to NEXUS_GRAPH_MAX_STEPS_LIMIT=40\)/);
    expect(stepsOf(own.events, "finished")).toHaveLength(6);
    const capped = await run("loop-capped", { ...LOOP, maxSteps: 1_000_000 });
    expect(capped.v.error).toMatch(/^Graph stopped after 40 steps: .*maxSteps=1000000 is capped by NEXUS_GRAPH_MAX_STEPS_LIMIT=40/);
    expect(stepsOf(capped.events, "finished")).toHaveLength(40);
  });

  it("counts the steps of nested graphs too: a loop around a nested graph stops at the same total", async () => {
    const nested = {
      version: 1,
      start: "inner",
      nodes: [
        {
          id: "inner",
          type: "graph",
          graph: {
            version: 1,
            start: "x",
            nodes: [
              { id: "x", type: "tool.call", config: { tool: "template", args: { text: "x" } } },
              { id: "y", type: "tool.call", config: { tool: "template", args: { text: "y" } } },
            ],
            edges: [{ from: "x", to: "y" }],
          },
        },
      ],
      edges: [{ from: "inner", to: "inner" }],
    };
    const { v, events } = await run("nested-loop", nested);
    expect(v.status).toBe("failed");
    expect(v.error).toMatch(/^Graph stopped after 20 steps: the graph loops \(inner→inner\)/);
    // Each round is 3 node starts (inner, x, y): without the total it would be 20 rounds.
    expect(events.filter((e) => e.event === "step" && e.data.state === "started")).toHaveLength(20);
    expect(v.result).toEqual({ results: { x: "x", y: "y" } });
  });

  it("leaves a graph that ends within the limit alone", async () => {
    const { v } = await run("short", { ...LOOP, edges: [{ from: "a", to: "b" }] });
    expect(v).toMatchObject({ status: "succeeded", result: { results: { a: { waited_ms: 1 }, b: "again" } } });
  });
});
