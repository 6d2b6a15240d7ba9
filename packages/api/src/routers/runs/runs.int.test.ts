// runs, terminal and analytics through the router against the real agent services (Nexus on the
// local Messages API server, Smith with real PTYs, Observer), on a real PostgreSQL.
import { askingPlan } from "@kayos/devstack/testing/plans";
import { match, matchMainLoop, reply } from "@kayos/messages-server";
import { encryptSecret } from "@kayos/db/secrets";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { SERVER_DELETED } from "../../services/dispatch";
import { reconcileRuns } from "../../services/run-reconciler";
import { runStreamTarget } from "../../services/run-stream";
import { startAgentServices, type AgentServices } from "../../testing/agent-services";
import { eventually } from "../../testing/eventually";
import { createFixtures, ENCRYPTION_KEY, type Fixtures } from "../../testing/fixtures";

let f: Fixtures;
let services: AgentServices;
let urls: AgentServices["urls"];
let claude: AgentServices["claude"];

beforeAll(async () => {
  f = await createFixtures();
  services = await startAgentServices(f);
  ({ urls, claude } = services);
});

afterAll(async () => {
  await services?.stop();
  await f?.close();
});

type Api = ReturnType<Fixtures["caller"]>;

/** Observer knows a session only once something of it arrived: until then, null. */
const sessionMetrics = (api: Api, id: string) => api.analytics.session({ id }).catch(() => null);

const finished = (api: Api, id: string) =>
  eventually(() => api.runs.get({ id }), (r) => ["succeeded", "failed", "stopped"].includes(r.status), `run ${id} finishing`, 400);

async function builderOf() {
  const apiKey = `kay_runs_${randomUUID()}`;
  const org = await f.organization(urls, apiKey);
  const user = await f.member(org.id, "builder");
  return { org, user, apiKey, api: f.caller(user.id) };
}

/** The run reconciler's turns over every unfinished run of the database (small batches: the cursor carries them); how many went unanswered. */
async function reconcileAll() {
  const ctx = { db: f.db, config: { encryptionKey: ENCRYPTION_KEY, serviceTimeoutMs: 2000 } };
  let unanswered = 0;
  let next = "";
  do {
    const turn = await reconcileRuns(ctx, { after: next, batch: 2 });
    unanswered += turn.unanswered;
    next = turn.next;
  } while (next);
  return unanswered;
}

/** A terminal client speaking Smith's protocol: binary frames are an 8-byte offset, then bytes. */
function openTerminal(url: string) {
  const ws = new WebSocket(url);
  let output = "";
  const messages: { type: string }[] = [];
  ws.on("message", (data: Buffer, binary: boolean) => {
    if (binary) output += data.subarray(8).toString("utf8");
    else messages.push(JSON.parse(data.toString()) as { type: string });
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, opened, output: () => output, messages };
}

/**
 * Smith behind a gate (plain HTTP forwarding): the requests `holds` picks wait until `open()` (then
 * forwarded, or with `refuse` answered 503); `held` resolves when the first arrived.
 */
async function gatedSmith(smithUrl: string, holds: (req: http.IncomingMessage) => boolean, refuse = false) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  const proxy = http.createServer(async (req, res) => {
    if (holds(req)) {
      arrived();
      await gate;
      // Or the service answers it with an error of its own.
      if (refuse) return void res.writeHead(503).end();
    }
    const upstream = http.request(new URL(req.url!, smithUrl), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, held, open, close: () => proxy.close() };
}

/** A Smith session's status as Smith reports it. */
async function smithSessionStatus(externalId: string | null, apiKey: string) {
  const session = await fetch(`${urls.smithUrl}/api/v1/sessions/${externalId}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return ((await session.json()) as { status: string }).status;
}

/** A request that stops a Smith session. */
const sessionStop = (req: http.IncomingMessage) => req.method === "DELETE" && req.url!.startsWith("/api/v1/sessions/");

/** A builder's shell agent set to run on a server of its own whose Smith is behind `gatedSmith`. */
async function shellAgentBehindGate(o: { server: string; agent: string; holds: (req: http.IncomingMessage) => boolean; refuse?: boolean }) {
  const { org, api, apiKey } = await builderOf();
  const smith = await gatedSmith(urls.smithUrl, o.holds, o.refuse);
  const server = await f.db.customerServer.create({
    data: { organizationId: org.id, name: o.server, ...urls, smithUrl: smith.url, apiKeyCiphertext: encryptSecret(apiKey, ENCRYPTION_KEY) },
  });
  const agent = await api.agents.create({ name: o.agent, agentType: "shell", config: { workspace: `router-${o.agent.toLowerCase().replaceAll(" ", "-")}` } });
  await api.agents.updateDraft({ id: agent.id, serverId: server.id });
  return { org, api, apiKey, smith, server, agent };
}

describe("runs", { timeout: 60_000 }, () => {
  it("runs a published conversational agent on Nexus: the run settles with its version, and lists filter it", async () => {
    const { api } = await builderOf();
    const agent = await api.agents.create({ name: "Helper", agentType: "claude-conversational", config: { system: "Be brief." } });
    await api.agents.publish({ id: agent.id });
    claude.script.push(reply.text("Hello from the model."));
    const run = await api.runs.execute({ agentId: agent.id, prompt: "Say hello" });
    expect(run).toMatchObject({ service: "nexus", agentType: "claude-conversational", externalId: expect.any(String) });
    const done = await finished(api, run.id);
    expect(done).toMatchObject({ status: "succeeded", agentVersion: { version: 1 }, agent: { name: "Helper" } });
    expect(done.finishedAt).toBeInstanceOf(Date);
    const sent = JSON.stringify(claude.requests.filter((r) => r.path === "/v1/messages").at(-1)?.body);
    expect(sent).toContain("Say hello");
    expect(sent).toContain("Be brief.");

    // A second, failing run: the model answers 400, the run records why.
    claude.script.push(reply.error(400, { message: "prompt is too long" }));
    const failing = await api.runs.execute({ agentId: agent.id, prompt: "x" });
    const failed = await finished(api, failing.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("prompt is too long");

    expect((await api.runs.list({ agentId: agent.id })).items.map((r) => r.id)).toEqual([failing.id, run.id]);
    expect((await api.runs.list({ status: "failed" })).items.map((r) => r.id)).toEqual([failing.id]);
    const page = await api.runs.list({ limit: 1 });
    expect(page.items.map((r) => r.id)).toEqual([failing.id]);
    expect((await api.runs.list({ limit: 1, cursor: page.nextCursor })).items.map((r) => r.id)).toEqual([run.id]);

    // Its usage reached Observer: the session metrics and the organization's dashboard count it.
    const metrics = (await eventually(() => sessionMetrics(api, run.id), (m) => !!m && m.tokens > 0, "usage reaching Observer", 400))!;
    expect(metrics.models.map((m) => m.model)).toEqual([expect.stringContaining("claude")]);
    // The control plane's own figures: both runs of Helper, one failed, each with a duration.
    const stats = await api.analytics.runs({ days: 1 });
    expect(stats).toMatchObject({ runs: 2, failed: 1, errorRate: 0.5 });
    expect(stats.byAgent).toEqual([expect.objectContaining({ agent: "Helper", runs: 2, succeeded: 1, failed: 1, avgSeconds: expect.any(Number) })]);
    const dashboard = await api.analytics.dashboard({ days: 1 });
    expect(dashboard.sessions).toBeGreaterThanOrEqual(1);
    expect(dashboard.per_model.reduce((n, m) => n + m.input_tokens + m.output_tokens, 0)).toBeGreaterThan(0);
  });

  it("a run nobody opens still ends in the runs list and the analytics: the reconciler asks its service", async () => {
    const { api } = await builderOf();
    const agent = await api.agents.create({ name: "Unwatched", agentType: "claude-conversational", config: {} });
    await api.agents.publish({ id: agent.id });
    claude.script.push(reply.text("Done."));
    const ok = await api.runs.execute({ agentId: agent.id, prompt: "Work alone" });
    claude.script.push(reply.error(400, { message: "prompt is too long" }));
    const bad = await api.runs.execute({ agentId: agent.id, prompt: "x" });
    // runs.get is never called: only the reconciler's turns can change what the list says.
    const statuses = async () => Object.fromEntries((await api.runs.list({ agentId: agent.id })).items.map((r) => [r.id, r.status]));
    expect(Object.values(await statuses())).toEqual([expect.stringMatching(/^(queued|running)$/), expect.stringMatching(/^(queued|running)$/)]);
    // A run of an organization whose server does not answer: asked, left as it was, the others go on.
    const quiet = await f.organization({ nexusUrl: "http://127.0.0.1:9", smithUrl: "http://127.0.0.1:9", observerUrl: "http://127.0.0.1:9" });
    const lost = await f.db.agentRun.create({ data: { organizationId: quiet.id, agentType: "claude-conversational", service: "nexus", externalId: "exec_unreachable", status: "running" } });

    let unanswered = 0;
    const everyTurn = async () => {
      unanswered += await reconcileAll();
      return statuses();
    };
    await eventually(everyTurn, (s) => s[ok.id] === "succeeded" && s[bad.id] === "failed", "the reconciler recording how both runs ended", 50);
    expect((await api.runs.list({ agentId: agent.id, status: "failed" })).items).toEqual([expect.objectContaining({ id: bad.id, error: expect.stringContaining("prompt is too long") })]);
    expect(await api.analytics.runs({ days: 1 })).toMatchObject({ runs: 2, failed: 1 });
    expect(unanswered).toBeGreaterThan(0);
    expect((await f.db.agentRun.findUniqueOrThrow({ where: { id: lost.id } })).status).toBe("running");
  });

  it("a run stays with the server it started on: its agent moving elsewhere loses nothing; deleting that server stops it there and says so", async () => {
    const { org, api, apiKey } = await builderOf();
    const agent = await api.agents.create({ name: "Mover", agentType: "shell", config: { workspace: "router-mover" } });
    const run = await api.runs.execute({ agentId: agent.id, useDraft: true });
    expect(run).toMatchObject({ status: "running", serverId: expect.any(String) });
    // A second server of this organization, reached with another organization's key: the run is not there.
    const otherKey = `kay_runs_other_${randomUUID()}`;
    await f.organization(urls, otherKey);
    const elsewhere = await f.db.customerServer.create({ data: { organizationId: org.id, name: "elsewhere", ...urls, apiKeyCiphertext: encryptSecret(otherKey, ENCRYPTION_KEY) } });
    await api.agents.updateDraft({ id: agent.id, serverId: elsewhere.id });
    expect(await api.runs.get({ id: run.id })).toMatchObject({ status: "running", serverId: run.serverId, server: { id: run.serverId, name: "local" } });
    expect((await api.runs.list({})).items.find((r) => r.id === run.id)).toMatchObject({ serverName: "local" });
    expect((await api.terminal.open({ runId: run.id })).sessionId).toBe(run.externalId);

    const admin = f.caller((await f.member(org.id, "admin")).id);
    await admin.servers.remove({ id: run.serverId! });
    expect(await api.runs.get({ id: run.id })).toMatchObject({ status: "stopped", error: 'Stopped: its server "local" was deleted', server: null });
    expect((await api.runs.list({})).items.find((r) => r.id === run.id)).toMatchObject({ serverId: run.serverId, serverName: null });
    expect(await smithSessionStatus(run.externalId, apiKey)).toBe("killed");
    await expect(api.terminal.open({ runId: run.id })).rejects.toMatchObject({ code: "NOT_FOUND", message: SERVER_DELETED });

    // A run whose server went away without that (started as it was deleted): the next look ends it, saying why.
    const orphan = await f.db.agentRun.create({
      data: { organizationId: org.id, agentType: "shell", service: "smith", serverId: run.serverId, externalId: "sess_gone", status: "running" },
    });
    expect(await api.runs.get({ id: orphan.id })).toMatchObject({ status: "failed", error: SERVER_DELETED });
  });

  it("a run that starts while its server is being removed is stopped there too, not left running on the host", async () => {
    // The session is created only once the removal went through.
    const { org, api, apiKey, smith, server, agent } = await shellAgentBehindGate({
      server: "leaving",
      agent: "Racer",
      holds: (req) => req.method === "POST" && req.url === "/api/v1/sessions/create",
    });
    try {
      const started = api.runs.execute({ agentId: agent.id, useDraft: true });
      await smith.held;
      await f.caller((await f.member(org.id, "admin")).id).servers.remove({ id: server.id });
      smith.open();
      const run = await started;
      expect(run).toMatchObject({ status: "stopped", error: 'Stopped: its server "leaving" was deleted' });
      expect(await smithSessionStatus(run.externalId, apiKey)).toBe("killed");
    } finally {
      smith.close();
    }
  });

  it("a look at a run while its server is being removed does not fail it as orphaned: it ends stopped, and stopped on the host", async () => {
    // The removal's stop of the session waits until the run was looked at (its page, the reconciler).
    const { org, api, apiKey, smith, server, agent } = await shellAgentBehindGate({
      server: "leaving too",
      agent: "Looked at",
      holds: sessionStop,
    });
    try {
      const run = await api.runs.execute({ agentId: agent.id, useDraft: true });
      expect(run.status).toBe("running");
      const removal = f.caller((await f.member(org.id, "admin")).id).servers.remove({ id: server.id });
      await smith.held;
      const stopped = { status: "stopped", error: 'Stopped: its server "leaving too" was deleted' };
      expect(await api.runs.get({ id: run.id })).toMatchObject(stopped);
      await reconcileAll();
      smith.open();
      await removal;
      expect(await api.runs.get({ id: run.id })).toMatchObject(stopped);
      expect(await smithSessionStatus(run.externalId, apiKey)).toBe("killed");
    } finally {
      smith.close();
    }
  });

  it("a run its removed server's Smith would not stop ends failed, saying so", async () => {
    const { org, api, apiKey, smith, server, agent } = await shellAgentBehindGate({
      server: "stubborn",
      agent: "Unstoppable",
      holds: sessionStop,
      refuse: true,
    });
    try {
      const run = await api.runs.execute({ agentId: agent.id, useDraft: true });
      smith.open();
      await f.caller((await f.member(org.id, "admin")).id).servers.remove({ id: server.id });
      expect(await api.runs.get({ id: run.id })).toMatchObject({
        status: "failed",
        error: 'Its server "stubborn" was deleted before the run finished; stopping it there failed: smith: HTTP 503',
      });
      await fetch(`${urls.smithUrl}/api/v1/sessions/${run.externalId}`, { method: "DELETE", headers: { authorization: `Bearer ${apiKey}` } });
    } finally {
      smith.close();
    }
  });

  it("runs a shell agent on Smith: the terminal token opens its session, typing changes files, stop ends it", async () => {
    const { api } = await builderOf();
    const agent = await api.agents.create({ name: "Shell", agentType: "shell", config: { workspace: "router-shell" } });
    const run = await api.runs.execute({ agentId: agent.id, useDraft: true });
    expect(run).toMatchObject({ service: "smith", status: "running" });

    const { url, sessionId } = await api.terminal.open({ runId: run.id });
    expect(sessionId).toBe(run.externalId);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/api\/v1\/sessions\/.+\/terminal\?token=ey/);
    const terminal = openTerminal(url);
    await terminal.opened;
    terminal.ws.send(JSON.stringify({ type: "input", data: "printf 'one\\ntwo\\n' > notes.txt && echo wrote-$((20+22))\n" }));
    await eventually(async () => terminal.output(), (o) => o.includes("wrote-42"), "the command's output", 400);
    expect(terminal.messages[0]).toMatchObject({ type: "hello" });

    const changes = await eventually(() => api.runs.changes({ id: run.id }), (c) => c.files.length > 0, "the file change", 400);
    expect(changes.files).toEqual([expect.objectContaining({ path: "notes.txt", status: "added", added: 2, removed: 0 })]);
    expect(changes.files[0]?.patch).toContain("+one");

    const stopped = await api.runs.stop({ id: run.id });
    expect(stopped.status).toBe("stopped");
    await expect(api.runs.stop({ id: run.id })).rejects.toMatchObject({ code: "CONFLICT", message: "The run already stopped" });
    // The shell itself ended (not only its foreground command): the terminal says so and closes.
    await eventually(async () => terminal.messages, (m) => m.some((x) => x.type === "exit"), "the session's end", 400);
    terminal.ws.close();
  });

  it("runs of an agent set to git worktrees work at once in their own branches, leaving the workspace itself alone", async () => {
    const { api } = await builderOf();
    const shell = (name: string, command: string, isolation?: "worktree") =>
      api.agents.create({ name, agentType: "shell", config: { workspace: "router-repo", command, ...(isolation ? { isolation } : {}) } });
    const each = await shell("Each in its worktree", `echo "$SMITH_SESSION_ID" > mine.txt`, "worktree");
    // A worktree needs a repository with a commit: refused, with what to do, before there is one.
    await expect(api.runs.execute({ agentId: each.id, useDraft: true })).rejects.toMatchObject({ message: expect.stringContaining("git init and a first commit") });
    const init = await shell("Init", "git init -q && git -c user.name=KayOS -c user.email=kayos@example.com commit -q --allow-empty -m base");
    expect((await finished(api, (await api.runs.execute({ agentId: init.id, useDraft: true })).id)).status).toBe("succeeded");

    const runs = await Promise.all([api.runs.execute({ agentId: each.id, useDraft: true }), api.runs.execute({ agentId: each.id, useDraft: true })]);
    const changes = await Promise.all(runs.map(async (run) => (await finished(api, run.id), api.runs.changes({ id: run.id }))));
    changes.forEach((c, i) => {
      expect(c.files).toEqual([expect.objectContaining({ path: "mine.txt", status: "added", added: 1 })]);
      expect(c.files[0]!.patch).toContain(`+${runs[i]!.externalId}`);
      expect(c.worktree).toMatchObject({ branch: expect.any(String), base_commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    });
    expect(changes[0]!.worktree!.branch).not.toBe(changes[1]!.worktree!.branch);
    // The workspace itself has no mine.txt: each run wrote in its own folder.
    const check = await shell("Check", "test ! -e mine.txt");
    expect((await finished(api, (await api.runs.execute({ agentId: check.id, useDraft: true })).id)).status).toBe("succeeded");
  });

  it("types into a session through the web server (for browsers that cannot reach Smith): input and resize by run, output on the run's stream", async () => {
    const { api } = await builderOf();
    const agent = await api.agents.create({ name: "Relay shell", agentType: "shell", config: { workspace: "router-relay" } });
    const run = await api.runs.execute({ agentId: agent.id, useDraft: true });
    expect(await api.terminal.resize({ runId: run.id, cols: 132, rows: 40 })).toEqual({ cols: 132, rows: 40 });
    await api.terminal.input({ runId: run.id, data: "echo relay-$((6*7)) " });
    await api.terminal.input({ runId: run.id, data: "$(stty size)\n" });
    // The same stream the web's proxy serves the browser.
    const row = await f.db.agentRun.findUniqueOrThrow({ where: { id: run.id }, include: { agent: { select: { serverId: true } } } });
    const target = await runStreamTarget({ db: f.db, config: { encryptionKey: ENCRYPTION_KEY, serviceTimeoutMs: 2000 } }, row);
    const stream = await fetch(target.url, { headers: target.headers, signal: AbortSignal.timeout(15_000) });
    const reader = stream.body!.getReader();
    let text = "";
    while (!text.includes("relay-42 40 132")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString("utf8");
    }
    await reader.cancel();
    expect(text).toContain("relay-42 40 132");

    await api.runs.stop({ id: run.id });
    await eventually(() => f.db.agentRun.findUniqueOrThrow({ where: { id: run.id } }), (r) => r.status === "stopped", "the run stopping", 200);
    await expect(api.terminal.input({ runId: run.id, data: "echo late\n" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(api.terminal.input({ runId: run.id, data: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("shows a coding agent's structured events (Claude Code CLI on the local Messages API): its text and the final result", async () => {
    const { api } = await builderOf();
    const agent = await api.agents.create({ name: "Coder", agentType: "claude_code", config: { workspace: "cc-events", prompt: "Say hello" } });
    const run = await api.runs.execute({ agentId: agent.id, useDraft: true });
    const done = await finished(api, run.id);
    expect(done.status).toBe("succeeded");
    const { events } = await api.runs.events({ id: run.id });
    expect(events[0]).toMatchObject({ type: "init", agent_session_id: expect.any(String) });
    expect(events).toContainEqual(expect.objectContaining({ type: "assistant_text", text: expect.stringContaining("[offline]") }));
    expect(events.at(-1)).toMatchObject({ type: "result", is_error: false, num_turns: expect.any(Number) });
    // Smith hands the CLI's transcript to Observer: the session's metrics count its tokens.
    const metrics = (await eventually(() => sessionMetrics(api, run.id), (m) => !!m && m.tokens > 0, "the transcript's usage reaching Observer", 400))!;
    // A model the price table lacks is counted and named as unpriced, never priced at 0 silently.
    expect(metrics.unpriced_models).toEqual(metrics.models.filter((m) => m.cost_usd === 0).map((m) => m.model));
    const shell = await api.agents.create({ name: "Plain shell", agentType: "shell", config: { workspace: "cc-events" } });
    const plain = await api.runs.execute({ agentId: shell.id, useDraft: true });
    await expect(api.runs.events({ id: plain.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await api.runs.stop({ id: plain.id });
  });

  it("a coding agent set to ask waits for a builder's decision on each tool use; viewers and other organizations cannot decide", async () => {
    const { org, api } = await builderOf();
    claude.script
      .clear()
      .when(match.all(matchMainLoop, match.not(match.hasToolResult())), reply.toolUse("Bash", { command: "echo approved > approved.txt", description: "Write approved.txt" }))
      .when(match.all(matchMainLoop, match.hasToolResult("Bash")), reply.text("Made approved.txt."));
    try {
      const agent = await api.agents.create({ name: "Careful coder", agentType: "claude_code", config: { workspace: "cc-approvals", prompt: "Make a file", approvals: "ask" } });
      const run = await api.runs.execute({ agentId: agent.id, useDraft: true });
      const asked = (await eventually(() => api.runs.approvals({ id: run.id }), (a) => a.approvals.length > 0, "the agent asking", 400)).approvals[0]!;
      expect(asked).toMatchObject({ tool: "Bash", input: { command: "echo approved > approved.txt" }, decision: null });
      expect((await api.runs.get({ id: run.id })).status).toBe("running");

      const viewer = f.caller((await f.member(org.id, "viewer")).id);
      await expect(viewer.runs.decide({ id: run.id, requestId: asked.request_id, behavior: "allow" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      const stranger = (await builderOf()).api;
      await expect(stranger.runs.decide({ id: run.id, requestId: asked.request_id, behavior: "allow" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(api.runs.decide({ id: run.id, requestId: "nope", behavior: "allow" })).rejects.toMatchObject({ code: "NOT_FOUND" });

      await api.runs.decide({ id: run.id, requestId: asked.request_id, behavior: "allow" });
      expect((await finished(api, run.id)).status).toBe("succeeded");
      expect((await api.runs.changes({ id: run.id })).files.map((file) => file.path)).toEqual(["approved.txt"]);
      expect((await api.runs.approvals({ id: run.id })).approvals.map((a) => a.decision)).toEqual(["allow"]);
      await expect(api.runs.decide({ id: run.id, requestId: asked.request_id, behavior: "deny" })).rejects.toMatchObject({ code: "CONFLICT" });
    } finally {
      claude.script.clear();
    }
  });

  it("a planner run whose plan asks a human shows the question; a builder's answer carries it on; viewers and other organizations cannot answer", async () => {
    const { org, api } = await builderOf();
    claude.script.push(reply.toolUse("submit_plan", askingPlan("Which color should the fence be?")), reply.text("Painted the fence teal."));
    const run = await api.runs.execute({ agent_type: "complete-planner", prompt: "Paint the fence" });
    // The runs list says it waits from what the reconciler recorded, without asking Nexus per listed run.
    const listed = async () => (await api.runs.list({})).items.find((r) => r.id === run.id)!;
    const waiting = await eventually(async () => (await reconcileAll(), listed()), (r) => r.waitingSince !== null, "the list saying the run waits", 100);
    expect(waiting.status).toBe("running");
    // The run page reads the question itself from runs.get.
    expect(await api.runs.get({ id: run.id })).toMatchObject({ status: "running", waitingFor: { node_id: "ask", question: "Which color should the fence be?" } });

    const viewer = f.caller((await f.member(org.id, "viewer")).id);
    await expect(viewer.runs.answer({ id: run.id, answer: "red" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect((await builderOf()).api.runs.answer({ id: run.id, answer: "red" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.runs.answer({ id: run.id, answer: "  " })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("Write an answer for the agent") });

    expect(await api.runs.answer({ id: run.id, answer: "teal" })).toBeNull();
    expect((await listed()).waitingSince).toBeNull();
    expect((await finished(api, run.id)).status).toBe("succeeded");
    // The next step got the answer.
    expect(JSON.stringify(claude.requests.filter((r) => r.path === "/v1/messages").at(-1)?.body)).toContain("teal");
    expect((await api.runs.get({ id: run.id })).waitingFor).toBeNull();
    await expect(api.runs.answer({ id: run.id, answer: "red" })).rejects.toMatchObject({ code: "CONFLICT" });
    // Smith runs never wait for answers.
    const shell = await api.agents.create({ name: "No questions", agentType: "shell", config: { workspace: "router-questions" } });
    const plain = await api.runs.execute({ agentId: shell.id, useDraft: true });
    expect((await api.runs.get({ id: plain.id })).waitingFor).toBeNull();
    await expect(api.runs.answer({ id: plain.id, answer: "red" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await api.runs.stop({ id: plain.id });
  });

  it("hands an ad-hoc run's context to Nexus (the seed's `context`), with a saved agent's system prompt over it", async () => {
    const { api } = await builderOf();
    claude.script.push(reply.text("ok"));
    const run = await api.runs.execute({ agent_type: "claude-conversational", prompt: "Summarise", context: { project: "zebra-ledger-7" } });
    expect((await finished(api, run.id)).status).toBe("succeeded");
    expect(JSON.stringify(claude.requests.filter((r) => r.path === "/v1/messages").at(-1)?.body)).toContain("zebra-ledger-7");
    // kaygraph ad hoc: definition_id reaches Nexus (an unknown one is Nexus's 404, not "needs definition_id").
    await expect(api.runs.execute({ agent_type: "kaygraph", definition_id: "graph_nope" })).rejects.toMatchObject({ message: expect.stringContaining("graph_nope") });
  });

  it("refuses terminals and changes for Nexus runs, and every run of another organization", async () => {
    const { api } = await builderOf();
    const other = await builderOf();
    claude.script.push(reply.text("ok"));
    const nexusRun = await api.runs.execute({ agent_type: "claude-conversational", prompt: "hi" });
    await expect(api.terminal.open({ runId: nexusRun.id })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("Only coding and shell runs") });
    await expect(api.runs.changes({ id: nexusRun.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    for (const call of [
      () => other.api.runs.get({ id: nexusRun.id }),
      () => other.api.runs.stop({ id: nexusRun.id }),
      () => other.api.runs.changes({ id: nexusRun.id }),
      () => other.api.terminal.open({ runId: nexusRun.id }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await other.api.runs.list({})).items).toEqual([]);
    await finished(api, nexusRun.id);
  });

  it("a terminal token is good for its own session only, and Smith refuses the API key in a URL", async () => {
    const { api, apiKey } = await builderOf();
    const shell = await api.agents.create({ name: "Shell", agentType: "shell", config: { workspace: "token-scope" } });
    const a = await api.runs.execute({ agentId: shell.id, useDraft: true });
    const b = await api.runs.execute({ agentId: shell.id, useDraft: true });
    const { url } = await api.terminal.open({ runId: a.id });
    // The token of session a, used on session b's path.
    const swapped = url.replace(encodeURIComponent(a.externalId!), encodeURIComponent(b.externalId!));
    const refused = openTerminal(swapped);
    await expect(refused.opened).rejects.toThrow(/401|403/);
    // The organization's API key, which would never expire, is not accepted in a URL.
    const withKey = new URL(url);
    withKey.searchParams.delete("token");
    withKey.searchParams.set("access_token", apiKey);
    await expect(openTerminal(withKey.toString()).opened).rejects.toThrow(/401|403/);
    const good = openTerminal(url);
    await good.opened;
    good.ws.close();
    for (const run of [a, b]) await api.runs.stop({ id: run.id });
  });
});
