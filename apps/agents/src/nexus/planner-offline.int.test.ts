// The planner agent types against the local Messages server's DEFAULT responder (nothing scripted),
// as `npm run dev` runs them without ANTHROPIC_API_KEY: the forced `submit_plan` call must come back
// as a tool call with a plan that passes the plan check, so both types succeed on the first call.
import type { ExecuteResponse, ExecutionView, Plan } from "@kayos/contracts";
import { reply } from "@kayos/messages-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNexus, type SseEvent } from "./test-harness";

let nx: Awaited<ReturnType<typeof startNexus>>;
beforeAll(async () => {
  nx = await startNexus();
});
afterAll(async () => {
  await nx?.stop();
});

const execute = (body: Record<string, unknown>) => nx.call<ExecuteResponse>("POST", "/api/v1/agents/execute", { body });
const view = async (id: string) => (await nx.call<ExecutionView>("GET", `/api/v1/agents/${id}`)).body;
const modelRequests = () => nx.messages.requests.filter((r) => r.path === "/v1/messages");
const retries = (events: SseEvent[]) => events.filter((e) => e.event === "step" && e.data.state === "retrying");

const STEPS = [
  { id: "understand", depends_on: [] },
  { id: "draft", depends_on: ["understand"] },
  { id: "review", depends_on: ["understand", "draft"] },
];

describe("planner agent types offline (default responder, no script)", () => {
  it("planner returns the offline plan on the first model call", async () => {
    expect(nx.messages.script.pending).toBe(0);
    const before = modelRequests().length;
    const started = await execute({ agent_type: "planner", prompt: "Build a CSV importer" });
    expect(started.status).toBe(200);
    const s = await nx.stream(started.body.stream_url);
    expect(retries(s.events)).toEqual([]);
    expect(s.events.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded", error: null } });

    const v = await view(started.body.id);
    expect(v.status).toBe("succeeded");
    const plan = (v.result as { plan: Plan }).plan;
    expect(plan.summary).toMatch(/^\[offline\] A 3-step plan for "Build a CSV importer"/);
    expect(plan.steps).toMatchObject(STEPS.map((step) => ({ ...step, service: "nexus" })));
    expect(plan.steps[0]!.goal).toContain("Build a CSV importer");
    expect(s.events.find((e) => e.event === "plan")?.data.plan).toEqual(plan);

    const calls = modelRequests().slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ handledBy: "default", status: 200, body: { tool_choice: { type: "tool", name: "submit_plan" } } });
  });

  it("complete-planner plans offline and runs every step of the plan to success", async () => {
    const before = modelRequests().length;
    const started = await execute({ agent_type: "complete-planner", prompt: "Build a CSV importer" });
    expect(started.status).toBe(200);
    const s = await nx.stream(started.body.stream_url, { timeoutMs: 20_000 });
    expect(retries(s.events)).toEqual([]);
    expect(s.events.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded", error: null } });
    expect(s.events.find((e) => e.event === "graph")?.data.definition).toMatchObject({
      nodes: STEPS.map((step) => ({ id: step.id, type: "llm.call" })),
    });

    const v = await view(started.body.id);
    expect(v.status).toBe("succeeded");
    const result = v.result as { plan: Plan; results: Record<string, string> };
    expect(result.plan.steps.map((step) => step.id)).toEqual(STEPS.map((step) => step.id));
    // (jsonb keeps keys in its own order)
    expect(Object.keys(result.results).sort()).toEqual(STEPS.map((step) => step.id).sort());
    for (const text of Object.values(result.results)) expect(text).toMatch(/^\[offline\]/);

    // One planning call (a tool call), then one text call per step, all answered by the default responder.
    const calls = modelRequests().slice(before);
    expect(calls.map((c) => c.handledBy)).toEqual(["default", "default", "default", "default"]);
    expect((calls[0]!.body as { tool_choice?: unknown }).tool_choice).toEqual({ type: "tool", name: "submit_plan" });
    expect(JSON.stringify(calls.at(-1)!.body)).toContain("Current step: Review and summarise");
  });
});

describe("planner error when the model does not call submit_plan", () => {
  it("says the model answered without calling submit_plan, and tells the model so on repair", async () => {
    nx.messages.script.push(reply.text("Here is my plan: do it."), reply.text("Still prose."), reply.text("No tool, sorry."));
    const started = await execute({ agent_type: "planner", prompt: "Plan it" });
    const s = await nx.stream(started.body.stream_url);
    expect(retries(s.events).map((e) => e.data.error)).toEqual(Array(3).fill("invalid plan: the model answered without calling submit_plan"));
    const v = await view(started.body.id);
    expect(v.status).toBe("failed");
    expect(v.error).toBe("The model's plan was still invalid after 3 attempts: the model answered without calling submit_plan");
    const repair = nx.messages.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    expect(repair.messages.at(-1)).toEqual({ role: "user", content: "You answered without calling submit_plan. Call submit_plan with the plan." });
    expect(nx.messages.script.pending).toBe(0);
  });
});
