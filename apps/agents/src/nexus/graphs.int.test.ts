import type { ErrorBody, ExecuteResponse, ExecutionView, GraphView } from "@kayos/contracts";
import { askingPlan } from "@kayos/devstack/testing/plans";
import { reply } from "@kayos/messages-server";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildObserver } from "../observer/service";
import { createKeyResolver } from "../shared/api-key";
import { KEY_B, listen, startNexus, tokensOf, type SseEvent } from "./test-harness";

let nx: Awaited<ReturnType<typeof startNexus>>;
beforeAll(async () => {
  nx = await startNexus({}, async (dbUrl, db) => {
    const observer = await buildObserver({
      logLevel: "silent",
      resolveCaller: createKeyResolver(db),
      databaseUrl: dbUrl,
      env: { OBSERVER_SNAPSHOT_DIR: path.join("/tmp", `kayos-nexus-obs-${process.pid}`) },
    });
    return { config: { CODINGOBSERVER_URL: await listen(observer) }, close: () => observer.close() };
  });
});
afterAll(async () => {
  await nx?.stop();
});

const execute = (body: Record<string, unknown>) => nx.call<ExecuteResponse>("POST", "/api/v1/agents/execute", { body });
const view = async (id: string) => (await nx.call<ExecutionView>("GET", `/api/v1/agents/${id}`)).body;
const modelCalls = () => nx.messages.requests.filter((r) => r.path === "/v1/messages").length;
const stepsOf = (events: SseEvent[], state: string) => events.filter((e) => e.event === "step" && e.data.state === state).map((e) => e.data.node_id);

const PLAN = {
  summary: "Write a haiku about tea",
  steps: [
    { id: "research", title: "Research", goal: "Collect facts about tea", service: "nexus" },
    { id: "draft", title: "Draft", goal: "Write the haiku", service: "nexus", depends_on: ["research"] },
  ],
};

describe("planner", () => {
  it("returns a schema-checked plan and reports each model call's usage to Observer", async () => {
    nx.messages.script.push(reply.toolUse("submit_plan", PLAN, { usage: { inputTokens: 300, outputTokens: 80 } }));
    const started = (await execute({ agent_type: "planner", prompt: "Plan a haiku about tea" })).body;
    const s = await nx.stream(started.stream_url);
    expect(s.events.find((e) => e.event === "plan")?.data.plan).toMatchObject({ summary: PLAN.summary });
    const v = await view(started.id);
    expect(v.status).toBe("succeeded");
    expect(v.result).toEqual({ plan: { summary: PLAN.summary, steps: [{ ...PLAN.steps[0], depends_on: [] }, PLAN.steps[1]] } });
    const request = nx.messages.requests.at(-1)!.body as { tool_choice: unknown; tools: { name: string }[] };
    expect(request.tool_choice).toEqual({ type: "tool", name: "submit_plan" });

    // Usage arrives at Observer (same database here), under the caller's organization.
    let rows: { executionId: string | null; inputTokens: bigint; outputTokens: bigint; source: string; organizationId: string }[] = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      rows = await nx.db.usageEvent.findMany({ where: { executionId: started.id } });
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ organizationId: "org_a", source: "nexus", inputTokens: 300n, outputTokens: 80n });
  });

  it("plans with the agent's own instructions (context.system) in its system prompt, the rest of the context as data", async () => {
    nx.messages.script.push(reply.toolUse("submit_plan", PLAN));
    const started = (await execute({ agent_type: "planner", prompt: "Plan a haiku about tea", context: { system: "Plan in two steps.", cup: "green" } })).body;
    expect((await nx.stream(started.stream_url)).events.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded" } });
    const request = nx.messages.requests.at(-1)!.body as { system: string; messages: { content: string }[] };
    expect(request.system).toMatch(/^You are the planner of KayOS[\s\S]*\n\nThe agent's own planning instructions:\nPlan in two steps\.$/);
    expect(request.messages[0]!.content).toBe('Plan a haiku about tea\n\nContext (JSON): {"cup":"green"}');
  });

  it("repairs invalid model output with a bounded retry, sending the problems back", async () => {
    const before = modelCalls();
    nx.messages.script.push(
      reply.toolUse("submit_plan", { steps: [{ id: "a", title: "A", goal: "g", service: "nexus", depends_on: ["ghost"] }] }),
      reply.toolUse("submit_plan", PLAN),
    );
    const started = (await execute({ agent_type: "planner", prompt: "Plan it" })).body;
    await nx.stream(started.stream_url);
    expect((await view(started.id)).status).toBe("succeeded");
    expect(modelCalls() - before).toBe(2);
    const repair = nx.messages.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    expect(JSON.stringify(repair.messages.at(-1))).toContain("summary");
    expect(repair.messages.at(-1)).toMatchObject({ role: "user", content: [{ type: "tool_result", is_error: true }] });
  });

  it("fails, never passing it on, when the output stays invalid", async () => {
    nx.messages.script.push(reply.text("not a plan"), reply.text("{ nope"), reply.toolUse("submit_plan", { summary: "x", steps: [] }));
    const started = (await execute({ agent_type: "planner", prompt: "Plan it" })).body;
    const s = await nx.stream(started.stream_url);
    const v = await view(started.id);
    expect(v.status).toBe("failed");
    expect(v.result).toBeNull();
    expect(v.error).toMatch(/still invalid after 3 attempts: steps: Too small/);
    expect(s.events.at(-1)?.data.status).toBe("failed");
  });
});

describe("stored KayGraph definitions and the kaygraph type", () => {
  const DEF = {
    version: 1,
    start: "greet",
    nodes: [
      { id: "greet", type: "tool.call", config: { tool: "template", args: { text: "Hello {{input.name}}" } } },
      { id: "ask", type: "llm.call", config: { prompt: "Reply to: {{results.greet}}" } },
    ],
    edges: [{ from: "greet", to: "ask" }],
  };

  it("refuses a malformed definition listing every problem, and validates without storing", async () => {
    const bad = {
      version: 2,
      start: "nope",
      nodes: [
        { id: "a", type: "magic" },
        { id: "b", type: "llm.call", config: {} },
        { id: "c", type: "tool.call", config: { tool: "wait", args: { ms: -1 } } },
      ],
      edges: [{ from: "a", to: "zzz" }],
    };
    const res = await nx.call<ErrorBody>("POST", "/api/v1/graphs", { body: { name: "bad", definition: bad } });
    expect(res.status).toBe(400);
    const paths = res.body.issues!.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["definition.version", "definition.start", "definition.nodes[0].type", "definition.nodes[1].config.prompt", "definition.nodes[2].config.args.ms"]));
    expect(paths.some((p) => p.startsWith("definition.edges[0]"))).toBe(true);
    expect(res.body.message).toMatch(/^Invalid graph definition \(\d+ problems\)/);
    const check = await nx.call<{ valid: boolean; issues: unknown[] }>("POST", "/api/v1/graphs/validate", { body: { definition: bad } });
    expect(check.body.valid).toBe(false);
    expect(check.body.issues.length).toBe(res.body.issues!.length);
    expect((await nx.call<{ graphs: unknown[] }>("GET", "/api/v1/graphs")).body.graphs).toEqual([]);
  });

  it("stores versions by name, lists and gets them, and runs one with input", async () => {
    const first = await nx.call<GraphView>("POST", "/api/v1/graphs", { body: { name: "greeter", definition: DEF } });
    expect(first.status).toBe(201);
    const second = await nx.call<GraphView>("POST", "/api/v1/graphs", { body: { name: "greeter", definition: DEF, description: "v2" } });
    expect([first.body.version, second.body.version]).toEqual([1, 2]);
    const list = (await nx.call<{ graphs: { id: string; version: number }[] }>("GET", "/api/v1/graphs")).body.graphs;
    expect(list.map((g) => g.version)).toEqual([2, 1]);
    expect((await nx.call<GraphView>("GET", `/api/v1/graphs/${first.body.id}`)).body.definition).toEqual(DEF);
    expect((await nx.call("GET", `/api/v1/graphs/${first.body.id}`, { key: KEY_B })).status).toBe(404);

    nx.messages.script.push(reply.text("Hi Ada!"));
    const run = await nx.call<ExecuteResponse>("POST", `/api/v1/graphs/${second.body.id}/run`, { body: { input: { name: "Ada" } } });
    expect(run.status).toBe(200);
    const s = await nx.stream(run.body.stream_url);
    expect(stepsOf(s.events, "finished")).toEqual(expect.arrayContaining(["greet", "ask"]));
    expect(tokensOf(s.events)).toBe("Hi Ada!");
    const v = await view(run.body.id);
    expect(v).toMatchObject({ status: "succeeded", agent_type: "kaygraph", definition_id: second.body.id, result: { results: { greet: "Hello Ada", ask: "Hi Ada!" } } });
    expect(JSON.stringify(nx.messages.requests.at(-1)!.body)).toContain("Reply to: Hello Ada");

    nx.messages.script.push(reply.text("Hi Bob!"));
    const viaExecute = await execute({ agent_type: "kaygraph", definition_id: first.body.id, input: { name: "Bob" } });
    await nx.stream(viaExecute.body.stream_url);
    expect((await view(viaExecute.body.id)).result).toEqual({ results: { greet: "Hello Bob", ask: "Hi Bob!" } });
  });

  it("answers 400 without a definition id and 404 for an unknown one", async () => {
    const missing = await execute({ agent_type: "kaygraph", input: {} });
    expect(missing.status).toBe(400);
    expect((missing.body as unknown as ErrorBody).message).toContain("definition_id");
    expect((await execute({ agent_type: "kaygraph", definition_id: "nope" })).status).toBe(404);
    expect((await nx.call("POST", "/api/v1/graphs/nope/run", { body: {} })).status).toBe(404);
    expect((await nx.call("GET", "/api/v1/graphs/nope")).status).toBe(404);
  });

  it("fails a Smith code task with a clear error when KaySmith is not configured or unreachable", async () => {
    const def = { version: 1, start: "code", nodes: [{ id: "code", type: "smith.task", config: { prompt: "add tests", workspace: "demo" } }], edges: [] };
    const g = (await nx.call<GraphView>("POST", "/api/v1/graphs", { body: { name: "coder", definition: def } })).body;
    const run = (await nx.call<ExecuteResponse>("POST", `/api/v1/graphs/${g.id}/run`, { body: {} })).body;
    const s = await nx.stream(run.stream_url);
    expect(s.events.find((e) => e.event === "error")?.data.message).toContain("KAYSMITH_URL is not set");
    expect((await view(run.id)).status).toBe("failed");
  });
});

describe("complete-planner", () => {
  const DURABLE = {
    summary: "Research, pause, write",
    steps: [
      { id: "research", title: "Research", goal: "Find facts", service: "nexus" },
      { id: "pause", title: "Pause", goal: "Let things settle", service: "tool", tool: "wait", args: { ms: 1500 }, depends_on: ["research"] },
      { id: "write", title: "Write", goal: "Write it up", service: "nexus", depends_on: ["research", "pause"] },
    ],
  };

  it("runs the plan as a graph step by step and, after a restart mid-run, resumes without repeating finished steps", async () => {
    const before = modelCalls();
    nx.messages.script.push(reply.toolUse("submit_plan", DURABLE), reply.text("research notes"), reply.text("final text"));
    const started = (await execute({ agent_type: "complete-planner", prompt: "Write about tea" })).body;
    const head = await nx.stream(started.stream_url, { until: (e) => e.event === "step" && e.data.node_id === "pause" && e.data.state === "started" });
    expect(head.events.find((e) => e.event === "graph")?.data.definition).toMatchObject({ nodes: [{ id: "research" }, { id: "pause" }, { id: "write" }] });

    await nx.restart();
    const all = await nx.stream(started.stream_url, { timeoutMs: 20_000 });
    expect(all.events.map((e) => e.id)).toEqual(all.events.map((_, i) => i + 1));
    expect(all.events.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded" } });
    expect(stepsOf(all.events, "finished").filter((n) => n === "research")).toHaveLength(1);
    expect(stepsOf(all.events, "finished")).toEqual(expect.arrayContaining(["research", "pause", "write"]));
    expect(modelCalls() - before).toBe(3);
    const v = await view(started.id);
    expect(v.result).toMatchObject({ plan: { summary: DURABLE.summary }, results: { research: "research notes", pause: { waited_ms: 1500 }, write: "final text" } });
    expect(JSON.stringify(nx.messages.requests.at(-1)!.body)).toContain("research notes");
  });

  it("waits for a human answer, then continues with it", async () => {
    nx.messages.script.push(reply.toolUse("submit_plan", askingPlan("Which color?")), reply.text("Painted it."));
    const started = (await execute({ agent_type: "complete-planner", prompt: "Paint the fence" })).body;
    const head = await nx.stream(started.stream_url, { until: (e) => e.event === "waiting" });
    expect(head.events.at(-1)?.data).toEqual({ node_id: "ask", question: "Which color?" });
    const waiting = await view(started.id);
    expect(waiting).toMatchObject({ status: "running", waiting_for: { node_id: "ask", question: "Which color?" } });

    const answered = await nx.call<ExecutionView>("POST", `/api/v1/agents/${started.id}/answer`, { body: { answer: "blue" } });
    expect(answered.status).toBe(200);
    const rest = await nx.stream(started.stream_url, { lastEventId: head.events.at(-1)!.id });
    expect(rest.events.at(-1)?.data.status).toBe("succeeded");
    expect((await view(started.id)).result).toMatchObject({ results: { ask: "blue", paint: "Painted it." } });
    expect(JSON.stringify(nx.messages.requests.at(-1)!.body)).toContain("blue");
    expect((await nx.call("POST", `/api/v1/agents/${started.id}/answer`, { body: { answer: "red" } })).status).toBe(409);
  });

  it("stops a running graph: the step is cancelled and the status becomes stopped", async () => {
    const plan = { summary: "Long wait", steps: [{ id: "sleep", title: "Sleep", goal: "Wait", service: "tool", tool: "wait", args: { ms: 60_000 } }] };
    nx.messages.script.push(reply.toolUse("submit_plan", plan));
    const started = (await execute({ agent_type: "complete-planner", prompt: "Wait a minute" })).body;
    await nx.stream(started.stream_url, { until: (e) => e.event === "step" && e.data.node_id === "sleep" });
    const t = Date.now();
    const stopped = await nx.call<ExecutionView>("POST", `/api/v1/agents/${started.id}/stop`);
    expect(stopped.body.status).toBe("stopped");
    expect(Date.now() - t).toBeLessThan(3000);
    expect((await nx.stream(started.stream_url)).events.at(-1)?.data).toEqual({ status: "stopped", error: null });
  });
});

describe("runs of other processes", () => {
  it("takes over a run whose process died (stale heartbeat), leaves a live process's run alone, and stops either", async () => {
    await nx.restart({ NEXUS_TAKEOVER_AFTER_MS: 400 });
    const input = { prompt: "hi", context: {}, model: "claude-sonnet-4-6", max_tokens: 100, input: {} };
    const base = { organizationId: "org_a", agentType: "claude-conversational", status: "running" as const, input, startedAt: new Date() };
    await nx.db.execution.createMany({
      data: [
        { id: "exe_dead", ...base, heartbeatAt: new Date(Date.now() - 60_000) },
        { id: "exe_alive", ...base, heartbeatAt: new Date(Date.now() + 60_000) },
      ],
    });
    const dead = await nx.stream("/api/v1/agents/exe_dead/stream", { timeoutMs: 10_000 });
    expect(dead.events.at(-1)).toMatchObject({ event: "done", data: { status: "failed" } });
    expect((await view("exe_dead")).error).toContain("Interrupted by a restart of Nexus");

    await new Promise((r) => setTimeout(r, 600));
    expect((await view("exe_alive")).status).toBe("running");
    // Its process never closes the stream (it does not exist): the stop does, after a short wait.
    const stopped = await nx.call<ExecutionView>("POST", "/api/v1/agents/exe_alive/stop");
    expect(stopped.body.status).toBe("stopped");
    expect((await nx.stream("/api/v1/agents/exe_alive/stream")).events.at(-1)?.data).toEqual({ status: "stopped", error: null });
  });
});
