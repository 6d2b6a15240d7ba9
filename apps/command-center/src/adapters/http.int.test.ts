import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpAgent } from "../../test/local-agents";
import { runAdapter } from "../../test/run-adapter";

let agent: Awaited<ReturnType<typeof startHttpAgent>>;
beforeAll(async () => {
  agent = await startHttpAgent();
});
afterAll(async () => {
  await agent?.close();
});

describe("http adapter", () => {
  it("streams an SSE answer: status, deltas, done; sends the documented request", async () => {
    const r = await runAdapter("http", { url: `${agent.url}/sse`, headers_secret: "h" }, "Ann", { agentSecrets: { h: '{"x-team":"blue"}' } });
    expect(r.error).toBeUndefined();
    expect(r.events[0]).toEqual({ type: "status", message: "Thinking" });
    expect(r.text).toBe("Hello, Ann!");
    expect(r.output).toBe("Hello, Ann!");
    const sent = agent.requests.at(-1)!;
    expect(sent.body).toEqual({ input: "Ann", run_id: "run_test", user: { tenant: "acme" } });
    expect(sent.headers).toMatchObject({ "x-team": "blue", accept: "text/event-stream, application/json", "content-type": "application/json" });
  });

  it("takes a JSON answer {output} as the whole output", async () => {
    const r = await runAdapter("http", { url: `${agent.url}/json` }, "ping");
    expect(r.events).toEqual([{ type: "done", output: "JSON says: ping" }]);
  });

  it("says what went wrong: an error status, a stream without done, a server that is not there", async () => {
    expect((await runAdapter("http", { url: `${agent.url}/fail` }, "x")).error?.message).toBe("The agent's server answered 502: upstream model is down");
    const broken = await runAdapter("http", { url: `${agent.url}/broken` }, "x");
    expect(broken.text).toBe("half");
    expect(broken.error?.message).toMatch(/ended without a done event/);
    const down = await runAdapter("http", { url: "http://127.0.0.1:9/agent" }, "x");
    expect(down.error?.message).toMatch(/^The agent's server at http:\/\/127\.0\.0\.1:9\/agent could not be reached \(.+\); check that it is running/);
  });
});
