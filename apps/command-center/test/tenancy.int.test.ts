// Tenancy and history: each user sees only their tenant's agents and their own runs (anything else
// is 404), history survives restarts, and streams resume by Last-Event-ID.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf, userClient } from "./client";
import { ALICE, BOB, baseConfig, baseSecrets, PASSWORD, writeDeploy } from "./fixtures";
import { startHttpAgent } from "./local-agents";
import { startServer } from "./server";

type RunView = { id: string; status: string; output: string | null; error: string | null; agent: { id: string } };
const CAROL = { email: "carol@acme.test", name: "Carol", tenant: "acme" };

let agent: Awaited<ReturnType<typeof startHttpAgent>>;
let server: Awaited<ReturnType<typeof startServer>>;
const signIn = async (email: string) => {
  const c = userClient(() => server.base);
  expect((await c.login(email, PASSWORD)).status).toBe(200);
  return c;
};

beforeAll(async () => {
  agent = await startHttpAgent();
  const config = baseConfig(
    [
      { id: "acme-bot", name: "Acme bot", type: "http", adapter: "http", config: { url: `${agent.url}/sse` } },
      { id: "globex-bot", name: "Globex bot", type: "http", adapter: "http", config: { url: `${agent.url}/json` } },
      { id: "slow", name: "Slow", type: "http", adapter: "http", config: { url: `${agent.url}/slow` } },
      { id: "flaky", name: "Flaky", type: "http", adapter: "http", config: { url: `${agent.url}/fail` } },
    ],
    [
      { id: "acme", name: "Acme", agents: ["acme-bot", "slow", "flaky"] },
      { id: "globex", name: "Globex", agents: ["globex-bot"] },
    ],
  );
  const secrets = await baseSecrets();
  secrets.users.push({ ...CAROL, password_hash: secrets.users[0]!.password_hash });
  server = await startServer(writeDeploy(config, secrets));
});
afterAll(async () => {
  await server?.close();
  await agent?.close();
});

describe("tenancy", () => {
  it("lists only the tenant's agents; another tenant's agent is 404", async () => {
    const alice = await signIn(ALICE.email);
    const bob = await signIn(BOB.email);
    expect((await alice.call<{ agents: { id: string }[] }>("GET", "/api/agents")).body.agents.map((a) => a.id)).toEqual(["acme-bot", "slow", "flaky"]);
    expect((await bob.call<{ agents: { id: string }[] }>("GET", "/api/agents")).body.agents.map((a) => a.id)).toEqual(["globex-bot"]);
    expect((await bob.call("GET", "/api/agents/acme-bot")).status).toBe(404);
    const run = await bob.call<{ message: string }>("POST", "/api/agents/acme-bot/runs", { input: "hi" });
    expect(run.status).toBe(404);
    expect(run.body.message).toBe("Agent acme-bot not found");
    expect(agent.requests.filter((r) => r.path === "/sse")).toHaveLength(0);
  });

  it("another tenant's run, and another user's run in the same tenant, answer 404; lists hold only one's own", async () => {
    const alice = await signIn(ALICE.email);
    const bob = await signIn(BOB.email);
    const carol = await signIn(CAROL.email);
    const a = (await alice.call<{ run_id: string }>("POST", "/api/agents/acme-bot/runs", { input: "A" })).body.run_id;
    const b = (await bob.call<{ run_id: string }>("POST", "/api/agents/globex-bot/runs", { input: "B" })).body.run_id;
    await alice.stream(a);
    await bob.stream(b);
    for (const other of [bob, carol]) {
      expect((await other.call("GET", `/api/runs/${a}`)).status).toBe(404);
      expect((await other.stream(a)).status).toBe(404);
    }
    expect((await alice.call("GET", `/api/runs/${b}`)).status).toBe(404);
    expect((await alice.call<{ runs: RunView[] }>("GET", "/api/runs")).body.runs.map((r) => r.id)).toContain(a);
    expect((await alice.call<{ runs: RunView[] }>("GET", "/api/runs")).body.runs.map((r) => r.id)).not.toContain(b);
    expect((await bob.call<{ runs: RunView[] }>("GET", "/api/runs")).body.runs.map((r) => r.id)).toEqual([b]);
    expect((await carol.call<{ runs: RunView[] }>("GET", "/api/runs")).body.runs).toEqual([]);
  });

  it("a signed-out or forged session gets 401 everywhere under /api", async () => {
    const alice = await signIn(ALICE.email);
    const forged = alice.cookie.replace(/.$/, (ch) => (ch === "A" ? "B" : "A"));
    const res = await fetch(`${server.base}/api/runs`, { headers: { cookie: forged } });
    expect(res.status).toBe(401);
    await alice.call("POST", "/api/auth/logout");
    expect(alice.cookie).toBe("kcc_session=");
    expect((await alice.call("GET", "/api/me")).status).toBe(401);
  });
});

describe("runs and history", () => {
  it("resumes a stream after Last-Event-ID without loss or repeats; a disconnect does not stop the run", async () => {
    const alice = await signIn(ALICE.email);
    const id = (await alice.call<{ run_id: string }>("POST", "/api/agents/slow/runs", { input: "count" })).body.run_id;
    const head = await alice.stream(id, { stopAfter: 4 });
    expect(head.events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    const rest = await alice.stream(id, { lastEventId: 4 });
    const all = [...head.events, ...rest.events];
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(textOf(all)).toBe(Array.from({ length: 20 }, (_, i) => `${i} `).join(""));
    expect(all.at(-1)).toMatchObject({ event: "done", data: { status: "succeeded" } });
    // After the end too (?last_event_id= works like the header).
    const tail = await alice.call<string>("GET", `/api/runs/${id}/stream?last_event_id=${all.length - 1}`);
    expect(tail.body).toBe(`id: ${all.length}\nevent: done\ndata: ${JSON.stringify(all.at(-1)!.data)}\n\n`);
  });

  it("a failing agent ends the run failed with a message saying what happened", async () => {
    const alice = await signIn(ALICE.email);
    const id = (await alice.call<{ run_id: string }>("POST", "/api/agents/flaky/runs", { input: "x" })).body.run_id;
    const s = await alice.stream(id);
    expect(s.events.map((e) => e.event)).toEqual(["status", "error", "done"]);
    expect(s.events[1]!.data.message).toBe("The agent's server answered 502: upstream model is down");
    expect((await alice.call<RunView>("GET", `/api/runs/${id}`)).body).toMatchObject({ status: "failed", error: "The agent's server answered 502: upstream model is down" });
  });

  it("keeps history across a restart; a run cut short by it ends failed, saying so", async () => {
    const alice = await signIn(ALICE.email);
    const done = (await alice.call<{ run_id: string }>("POST", "/api/agents/acme-bot/runs", { input: "before" })).body.run_id;
    const before = await alice.stream(done);
    const cut = (await alice.call<{ run_id: string }>("POST", "/api/agents/slow/runs", { input: "long" })).body.run_id;
    await alice.stream(cut, { stopAfter: 3 });
    const listed = (await alice.call<{ runs: RunView[] }>("GET", "/api/runs")).body.runs;

    const t0 = Date.now();
    await server.restart();
    expect(Date.now() - t0).toBeLessThan(3_000);

    // The session survives too (same session secret).
    const res = await alice.call<{ runs: RunView[] }>("GET", "/api/runs");
    expect(res.status).toBe(200);
    const after = res.body.runs;
    expect(after.map((r) => r.id)).toEqual(listed.map((r) => r.id));
    const finished = after.find((r) => r.id === done)!;
    expect(finished).toMatchObject({ status: "succeeded", output: "Hello, before!" });
    const replay = await alice.stream(done);
    expect(replay.events).toEqual(before.events);
    const interrupted = after.find((r) => r.id === cut)!;
    expect(interrupted.status).toBe("failed");
    expect(interrupted.error).toMatch(/shutting down|restart/);
    const cutStream = await alice.stream(cut);
    expect(cutStream.events.at(-1)).toMatchObject({ event: "done", data: { status: "failed" } });
  });
});
