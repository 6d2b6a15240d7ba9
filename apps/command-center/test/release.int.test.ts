// The release bundle as a customer's server runs it: no node_modules, plain node, default paths.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userClient, textOf } from "./client";
import { ALICE, baseConfig, baseSecrets, PASSWORD } from "./fixtures";
import { startHttpAgent } from "./local-agents";
import { copyRelease, RELEASE_DIR, runToExit, startRelease, type Started } from "./release";

/** Lays out a deploy root the way the control plane does and returns the release folder in it. */
function deployRoot(config: unknown, secrets: unknown) {
  const release = copyRelease();
  const root = path.resolve(release, "../..");
  mkdirSync(path.join(release, "config"));
  mkdirSync(path.join(root, "shared"));
  writeFileSync(path.join(release, "config", "agents.json"), JSON.stringify(config));
  writeFileSync(path.join(root, "shared", "secrets.json"), JSON.stringify(secrets));
  return { release, root };
}

describe("release bundle", () => {
  it("contains server.mjs, public/ and release.json, and no config or secret", () => {
    expect(readdirSync(RELEASE_DIR).sort()).toEqual(["public", "release.json", "server.mjs"]);
    const release = JSON.parse(readFileSync(path.join(RELEASE_DIR, "release.json"), "utf8")) as Record<string, unknown>;
    expect(release).toEqual({ name: "kayos-command-center", version: expect.stringMatching(/^0\.1\.0\+[0-9a-f]{12}$/), built_at: expect.any(String) });
    const files = readdirSync(path.join(RELEASE_DIR, "public"));
    expect(files).toContain("index.html");
    expect(files.some((f) => /^app-\w+\.js$/.test(f))).toBe(true);
    expect(files.some((f) => /^styles-\w+\.css$/.test(f))).toBe(true);
    expect(readFileSync(path.join(RELEASE_DIR, "server.mjs"), "utf8")).not.toMatch(/session_secret"\s*:\s*"/);
  });

  it("refuses to start on a broken config: exits 1 printing every problem with its path", async () => {
    const config = baseConfig([{ id: "echo", name: "Echo", type: "http", adapter: "http", config: { url: "nope" } }], [{ id: "acme", name: "Acme", agents: ["echo", "ghost"] }]);
    const { release } = deployRoot(config, { ...(await baseSecrets()), session_secret: "too short" });
    const { code, output } = await runToExit(release, {});
    expect(code).toBe(1);
    expect(output).toContain("The Command Center cannot start: 3 problems");
    expect(output).toContain("agents[0].config.url: Invalid URL");
    expect(output).toContain('tenants[0].agents[1]: no agent with id "ghost" in agents');
    expect(output).toContain("session_secret: must be at least 32 characters");
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });

  describe("a running release", () => {
    let agent: Awaited<ReturnType<typeof startHttpAgent>>;
    let server: Started;
    let root: string;
    beforeAll(async () => {
      agent = await startHttpAgent();
      const config = baseConfig([
        { id: "greeter", name: "Greeter", description: "Says hello", type: "http", adapter: "http", config: { url: `${agent.url}/sse`, headers_secret: "greeter" } },
        { id: "jsonbot", name: "JSON bot", type: "http", adapter: "http", config: { url: `${agent.url}/json` } },
      ]);
      const secrets = await baseSecrets({ agent_secrets: { greeter: "agent-token-123" } });
      const laid = deployRoot(config, secrets);
      root = laid.root;
      server = await startRelease(laid.release, {});
    });
    afterAll(async () => {
      await server?.stop();
      await agent?.close();
    });

    it("answers /health without a session", async () => {
      const version = (JSON.parse(readFileSync(path.join(RELEASE_DIR, "release.json"), "utf8")) as { version: string }).version;
      const res = await fetch(`${server.base}/health`);
      expect(await res.json()).toEqual({ status: "healthy", version, release: "v1", agents: 2, tenants: 2 });
    });

    it("serves the client branded with the config", async () => {
      const res = await fetch(`${server.base}/agents/greeter`);
      const html = await res.text();
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(html).toContain("<title>Acme &#60;Agents&#62;</title>");
      expect(html).toContain("--primary:#0a7d5a");
      expect(html).toContain('"product_name":"Acme \\u003cAgents>"');
      const script = /src="\/(app-\w+\.js)"/.exec(html)![1]!;
      const js = await fetch(`${server.base}/${script}`);
      expect(js.status).toBe(200);
      expect(js.headers.get("content-type")).toContain("javascript");
    });

    it("signs a user in, runs an http agent and streams its output; history lands in <root>/shared/data", async () => {
      const anonymous = userClient(server.base);
      expect((await anonymous.call("GET", "/api/agents")).status).toBe(401);
      expect((await anonymous.login(ALICE.email, "wrong password")).status).toBe(401);

      const alice = userClient(server.base);
      const login = await alice.login(ALICE.email.toUpperCase(), PASSWORD);
      expect(login.status).toBe(200);
      expect(login.body).toEqual({ email: ALICE.email, name: "Alice", tenant: { id: "acme", name: "Acme" } });
      expect(login.headers.get("set-cookie")).toMatch(/^kcc_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
      expect((await alice.call("GET", "/api/me")).body).toMatchObject({ email: ALICE.email });
      const agents = await alice.call<{ agents: { id: string }[] }>("GET", "/api/agents");
      expect(agents.body.agents.map((a) => a.id)).toEqual(["greeter", "jsonbot"]);

      const started = await alice.call<{ run_id: string }>("POST", "/api/agents/greeter/runs", { input: "Alice" });
      expect(started.status).toBe(201);
      const stream = await alice.stream(started.body.run_id);
      expect(stream.events.map((e) => e.id)).toEqual(stream.events.map((_, i) => i + 1));
      expect(stream.events.map((e) => e.event)).toEqual(["status", "status", "delta", "delta", "delta", "done"]);
      expect(textOf(stream.events)).toBe("Hello, Alice!");
      expect(stream.events.at(-1)!.data).toEqual({ status: "succeeded", output: "Hello, Alice!" });
      // The agent got the documented request, with its secret as a bearer token.
      expect(agent.requests.at(-1)).toMatchObject({ body: { input: "Alice", run_id: started.body.run_id, user: { tenant: "acme" } }, headers: { authorization: "Bearer agent-token-123" } });

      const json = await alice.call<{ run_id: string }>("POST", "/api/agents/jsonbot/runs", { input: "ping" });
      const jsonStream = await alice.stream(json.body.run_id);
      expect(jsonStream.events.at(-1)!.data).toEqual({ status: "succeeded", output: "JSON says: ping" });

      const history = await alice.call<{ runs: { id: string; status: string }[] }>("GET", "/api/runs");
      expect(history.body.runs.map((r) => [r.id, r.status])).toEqual([
        [json.body.run_id, "succeeded"],
        [started.body.run_id, "succeeded"],
      ]);
      expect(readFileSync(path.join(root, "shared", "data", "acme.jsonl"), "utf8")).toContain(started.body.run_id);
      expect(existsSync(path.join(root, "releases", "v1", "data"))).toBe(false);
    });

    it("answers bad input with 4xx and a message, never a stack", async () => {
      const alice = userClient(server.base);
      await alice.login(ALICE.email, PASSWORD);
      const empty = await alice.call<{ message: string; issues: unknown[] }>("POST", "/api/agents/greeter/runs", { input: "  " });
      expect(empty.status).toBe(400);
      expect(empty.body.message).toBe("Invalid body: body.input: write something for the agent to work on");
      const badJson = await fetch(`${server.base}/api/agents/greeter/runs`, { method: "POST", headers: { cookie: alice.cookie, "content-type": "application/json" }, body: "{oops" });
      expect(badJson.status).toBe(400);
      expect(JSON.stringify(await badJson.json())).not.toMatch(/\bat .*\.m?js:\d+/);
      expect((await alice.call("GET", "/api/runs/not-a-run")).status).toBe(400);
      expect((await alice.call("GET", "/api/nothing-here")).status).toBe(404);
    });
  });
});
