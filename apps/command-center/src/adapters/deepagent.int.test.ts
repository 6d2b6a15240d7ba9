import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentProtocolServer } from "../../test/local-agents";
import { runAdapter } from "../../test/run-adapter";

let server: Awaited<ReturnType<typeof startAgentProtocolServer>>;
beforeAll(async () => {
  server = await startAgentProtocolServer({ apiKey: "lsv2-key" });
});
afterAll(async () => {
  await server?.close();
});

describe("deepagent adapter (Agent Protocol)", () => {
  it("creates a thread, streams the run's message chunks as deltas and ends with the final message", async () => {
    const r = await runAdapter("deepagent", { url: server.url, assistant_id: "research", api_key_secret: "lg" }, "find the moon", { agentSecrets: { lg: "lsv2-key" } });
    expect(r.error).toBeUndefined();
    expect(r.text).toBe("You said: find the moon");
    expect(r.events.filter((e) => e.type === "delta").length).toBeGreaterThan(2);
    expect(r.events[0]).toEqual({ type: "status", message: "Run started" });
    expect(r.output).toBe("You said: find the moon");
    expect(server.requests.map((q) => q.path)).toEqual(["/threads", "/threads/thread-1/runs/stream"]);
    expect(server.requests[1]!.body).toEqual({
      assistant_id: "research",
      input: { messages: [{ role: "user", content: "find the moon" }] },
      stream_mode: ["messages", "values"],
    });
    expect(server.requests[1]!.headers["x-api-key"]).toBe("lsv2-key");
  });

  it("reports a refused key with the server's message", async () => {
    const r = await runAdapter("deepagent", { url: server.url, assistant_id: "research" }, "x");
    expect(r.error?.message).toBe("The agent server answered 403: Invalid API key");
  });
});
