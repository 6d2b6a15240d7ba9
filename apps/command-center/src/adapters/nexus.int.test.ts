// The nexus and kaygraph adapters against a real Nexus (PostgreSQL from the root global setup, the
// local Messages API server as Claude, scripted replies), and a nexus agent through the whole server.
import { KEY_A, startNexus } from "@kayos/agents/nexus/test-harness";
import { askingPlan } from "@kayos/devstack/testing/plans";
import { reply } from "@kayos/messages-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf, userClient } from "../../test/client";
import { ALICE, baseConfig, baseSecrets, BOB, PASSWORD, writeDeploy } from "../../test/fixtures";
import { runAdapter } from "../../test/run-adapter";
import { startServer } from "../../test/server";

let nx: Awaited<ReturnType<typeof startNexus>>;
beforeAll(async () => {
  nx = await startNexus();
});
afterAll(async () => {
  await nx?.stop();
});

const env = () => ({ nexusUrl: nx.base, nexusApiKey: KEY_A });
const lastModelRequest = () => nx.messages.requests.filter((r) => r.path === "/v1/messages").at(-1)!.body as Record<string, unknown>;

describe("nexus adapter", () => {
  it("executes the agent type, turns Nexus's token events into deltas and ends with the reply", async () => {
    nx.messages.script.push(reply.text("The sky is blue because of Rayleigh scattering.", { stream: { chunkChars: 6 } }));
    const r = await runAdapter("nexus", { agent_type: "claude-conversational", model: "claude-haiku-4-5", max_tokens: 300 }, "Why is the sky blue?", env());
    expect(r.error).toBeUndefined();
    expect(r.events.filter((e) => e.type === "delta").length).toBeGreaterThan(3);
    expect(r.text).toBe("The sky is blue because of Rayleigh scattering.");
    expect(r.output).toBe(r.text);
    expect(lastModelRequest()).toMatchObject({ model: "claude-haiku-4-5", max_tokens: 300, messages: [{ role: "user", content: "Why is the sky blue?" }] });
  });

  it("carries the agent's system prompt through a conversation", async () => {
    nx.messages.script.push(reply.text("Ahoy."));
    const r = await runAdapter("nexus", { agent_type: "claude-conversational", system: "Talk like a pirate." }, "Hello", env());
    expect(r.output).toBe("Ahoy.");
    expect(lastModelRequest()).toMatchObject({ system: "Talk like a pirate.", messages: [{ role: "user", content: "Hello" }] });
  });

  it("gives a planner its instructions as the control plane does (in the context; Nexus keeps conversations for chat agents only)", async () => {
    nx.messages.script.push(
      reply.toolUse("submit_plan", { summary: "One step", steps: [{ id: "answer", title: "Answer", goal: "Answer briefly", service: "nexus" }] }),
      reply.text("Done in one step."),
    );
    const r = await runAdapter("nexus", { agent_type: "complete-planner", system: "Plan in one step." }, "Tidy the shed", env());
    expect(r.error).toBeUndefined();
    expect(r.output).toContain("Done in one step.");
    const planning = nx.messages.requests.filter((q) => q.path === "/v1/messages").at(-2)!.body as { system: string; messages: { content: string }[] };
    expect(planning.messages[0]!.content).toBe("Tidy the shed");
    expect(planning.system).toContain("Plan in one step.");
  });

  it("reports a refused key and a failed execution with Nexus's reason", async () => {
    const refused = await runAdapter("nexus", { agent_type: "claude-conversational" }, "hi", { ...env(), nexusApiKey: "kay_wrong_key_0000000000000000" });
    expect(refused.error?.message).toMatch(/^Nexus answered 401/);
    const unknown = await runAdapter("nexus", { agent_type: "no-such-type" }, "hi", env());
    expect(unknown.error?.message).toMatch(/^Nexus answered 400: .*no-such-type/);
    nx.messages.script.push(reply.error(529), reply.error(529), reply.error(529));
    const failed = await runAdapter("nexus", { agent_type: "claude-conversational" }, "hi", env());
    expect(failed.error?.message).toMatch(/^The agent failed: /);
  });
});

describe("kaygraph adapter through Nexus (definition_id)", () => {
  it("runs the stored graph, reporting steps and streaming its model output", async () => {
    const definition = {
      version: 1,
      start: "greet",
      nodes: [
        { id: "greet", type: "tool.call", config: { tool: "template", args: { text: "Say hi to {{input.prompt}}" } } },
        { id: "ask", type: "llm.call", config: { prompt: "{{results.greet}}" } },
      ],
      edges: [{ from: "greet", to: "ask" }],
    };
    const stored = await nx.call<{ id: string }>("POST", "/api/v1/graphs", { body: { name: "greeter", definition } });
    expect(stored.status).toBe(201);
    nx.messages.script.push(reply.text("Hi Ada!"));
    const r = await runAdapter("kaygraph", { definition_id: stored.body.id }, "Ada", env());
    expect(r.error).toBeUndefined();
    expect(r.events).toEqual(expect.arrayContaining([{ type: "status", message: "Step greet started" }, { type: "status", message: "Step ask started" }]));
    expect(r.text).toBe("Hi Ada!");
    expect(lastModelRequest()).toMatchObject({ messages: [{ role: "user", content: "Say hi to Ada" }] });
  });
});

describe("a nexus agent in the Command Center", () => {
  it("streams Nexus's reply to a signed-in user", async () => {
    const config = { ...baseConfig([{ id: "helper", name: "Helper", type: "claude-conversational", adapter: "nexus", config: { agent_type: "claude-conversational" } }]), services: { nexus_url: nx.base } };
    const server = await startServer(writeDeploy(config, await baseSecrets({ nexus_api_key: KEY_A })));
    try {
      nx.messages.script.push(reply.text("Glad to help, Alice."));
      const alice = userClient(server.base);
      await alice.login(ALICE.email, PASSWORD);
      const run = await alice.call<{ run_id: string }>("POST", "/api/agents/helper/runs", { input: "Help me" });
      const s = await alice.stream(run.body.run_id);
      expect(textOf(s.events)).toBe("Glad to help, Alice.");
      expect(s.events.at(-1)!.data).toEqual({ status: "succeeded", output: "Glad to help, Alice." });
    } finally {
      await server.close();
    }
  });

  it("asks the user the question its plan waits on and goes on with the answer; nobody else can answer", async () => {
    const agent = { id: "painter", name: "Painter", type: "complete-planner", adapter: "nexus" as const, config: { agent_type: "complete-planner" } };
    const server = await startServer(writeDeploy({ ...baseConfig([agent]), services: { nexus_url: nx.base } }, await baseSecrets({ nexus_api_key: KEY_A })));
    try {
      nx.messages.script.push(reply.toolUse("submit_plan", askingPlan("Which color should the fence be?")), reply.text("Painted the fence teal."));
      const alice = userClient(server.base);
      await alice.login(ALICE.email, PASSWORD);
      const id = (await alice.call<{ run_id: string }>("POST", "/api/agents/painter/runs", { input: "Paint the fence" })).body.run_id;
      const asked = await alice.stream(id, { until: (e) => e.event === "question" });
      expect(asked.events.at(-1)).toMatchObject({ event: "question", data: { question: "Which color should the fence be?" } });

      const bob = userClient(server.base);
      await bob.login(BOB.email, PASSWORD);
      expect((await bob.call("POST", `/api/runs/${id}/answer`, { answer: "red" })).status).toBe(404);
      expect(await alice.call("POST", `/api/runs/${id}/answer`, { answer: "  " })).toMatchObject({ status: 400, body: { message: expect.stringContaining("Write an answer for the agent") } });

      expect(await alice.call("POST", `/api/runs/${id}/answer`, { answer: "teal" })).toMatchObject({ status: 200, body: { answered: true } });
      const rest = await alice.stream(id, { lastEventId: asked.events.at(-1)!.id });
      expect(rest.events[0]).toMatchObject({ event: "status", data: { message: "Answered" } });
      expect(rest.events.at(-1)!.data).toMatchObject({ status: "succeeded" });
      expect(JSON.stringify(lastModelRequest())).toContain("teal");
      expect((await alice.call("POST", `/api/runs/${id}/answer`, { answer: "red" })).status).toBe(409);
    } finally {
      await server.close();
    }
  });
});
