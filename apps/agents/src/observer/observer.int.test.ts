import type { Dashboard, ErrorBody, IngestResult, LogsPage, SessionMetrics } from "@kayos/contracts";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyResolver } from "../shared/api-key";
import { buildObserver } from "./service";
import { createPool } from "./store/db";
import { LogWriter, type LogRow } from "./store/log-writer";
import { KEY_A, KEY_B, startObserver } from "./test-helpers";

let o: Awaited<ReturnType<typeof startObserver>>;
beforeAll(async () => {
  o = await startObserver();
});
afterAll(() => o.stop());

const at = (s: number) => new Date(Date.UTC(2026, 10, 20, 10, 0, s)).toISOString();
const entry = (i: number, extra: Record<string, unknown> = {}) => ({ session_id: "s1", log_line: `line ${i}`, timestamp: at(i), ...extra });

describe("log ingest", () => {
  it("health answers healthy", async () => {
    const res = await fetch(`${o.base}/health`);
    expect(await res.json()).toMatchObject({ status: "healthy", service: "observer" });
  });

  it("stores the seed's single body and acknowledges it", async () => {
    const res = await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { body: entry(0) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, stored: 1, results: [{ index: 0, status: "stored" }] });
  });

  it("stores a retried event_id once", async () => {
    const body = entry(1, { event_id: "ev-1", level: "warn", source: "smith" });
    expect((await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { body })).body.stored).toBe(1);
    const again = await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { body: [body, body] });
    expect(again.body).toMatchObject({ stored: 0, duplicates: 2 });
    const page = await o.call<LogsPage>("GET", "/api/v1/logs/session/s1?limit=100");
    expect(page.body.entries.filter((e) => e.event_id === "ev-1")).toHaveLength(1);
  });

  it("stores large batches (written with COPY) exactly, and a retried large batch once", async () => {
    // Terminal output: tabs, backslashes, carriage returns, escapes, a literal \N, non-ASCII.
    const awkward = ["a\tb", "C:\\path\\to", "50%\r", "\u001b[32mok\u001b[0m", "\\N", "✓ 東京", ""];
    const lines = Array.from({ length: 600 }, (_, i) => ({
      ...entry(i, { session_id: "big", log_line: `${awkward[i % awkward.length]} #${i}` }),
      ...(i % 3 === 0 ? { attributes: { note: awkward[i % awkward.length], i } } : {}),
    }));
    expect((await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { body: { entries: lines } })).body).toMatchObject({ stored: 600 });
    const page = await o.call<LogsPage>("GET", "/api/v1/logs/session/big?limit=1000");
    expect(page.body.entries.map((e) => [e.log_line, e.attributes ?? null]).sort()).toEqual(lines.map((l) => [l.log_line, l.attributes ?? null]).sort());

    const withIds = lines.map((l, i) => ({ ...l, session_id: "big-ids", event_id: `big-${i}` }));
    expect((await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { body: withIds })).body).toMatchObject({ stored: 600, duplicates: 0 });
    // The retry brings 10 new lines: the COPY fails on the stored ids and the batch goes through ON CONFLICT.
    const retry = [...withIds, ...Array.from({ length: 10 }, (_, i) => entry(700 + i, { session_id: "big-ids", event_id: `big-new-${i}` }))];
    const res = await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { body: retry });
    expect(res.body).toMatchObject({ accepted: 610, stored: 10, duplicates: 600 });
    expect(res.body.results.slice(600).map((r) => r.status)).toEqual(Array(10).fill("stored"));
    expect((await o.call<LogsPage>("GET", "/api/v1/logs/session/big-ids?limit=1000")).body.entries).toHaveLength(610);
  });

  it("keeps valid entries of a batch and reports each invalid one", async () => {
    const res = await o.call<IngestResult>("POST", "/api/v1/logs/ingest", {
      body: { entries: [entry(2), { log_line: "no session", timestamp: at(3) }, entry(4, { timestamp: "yesterday" }), entry(5, { level: "loud" })] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, stored: 1, rejected: 3 });
    expect(res.body.results.map((r) => r.status)).toEqual(["stored", "invalid", "invalid", "invalid"]);
    expect(res.body.results[1]!.errors![0]!.path).toBe("session_id");
    expect(res.body.results[2]!.errors![0]!.path).toBe("timestamp");
  });

  it("refuses per entry what PostgreSQL cannot hold (NUL, unpaired surrogates) and dates that do not exist, keeping the rest", async () => {
    const bad = [
      entry(1, { session_id: "txt", log_line: "nul \u0000 here" }),
      entry(2, { session_id: "txt", attributes: { note: "half \ud800" } }),
      entry(3, { session_id: "txt", attributes: { ["k\u0000"]: 1 } }),
      entry(4, { session_id: "txt", timestamp: "2025-02-30T10:00:00Z" }),
      entry(5, { session_id: "txt", timestamp: "2025-01-01T24:00:00Z" }),
      entry(6, { session_id: "txt", log_line: "fine", attributes: { emoji: "\u{1F600}" } }),
    ];
    const res = await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { body: bad });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid", "stored"]);
    expect(res.body.results[0]!.errors![0]).toMatchObject({ path: "log_line", message: expect.stringMatching(/NUL/) });
    expect(res.body.results[3]!.errors![0]!.path).toBe("timestamp");
    const page = await o.call<LogsPage>("GET", "/api/v1/logs/session/txt");
    expect(page.body.entries.map((e) => [e.log_line, e.attributes])).toEqual([["fine", { emoji: "\u{1F600}" }]]);
  });

  it("fails only the request whose rows PostgreSQL refuses when concurrent requests share a write", async () => {
    const writer = new LogWriter(createPool(o.url));
    const row = (sessionId: string, logLine: string): LogRow => ({
      organizationId: "org_a", sessionId, eventId: null, level: "info", source: "", logLine, attributes: null, timestamp: at(1),
    });
    // Queued in the same turn, so the writer groups them into one statement.
    const results = await Promise.allSettled([writer.write([row("shared", "a")]), writer.write([row("shared", "poison \u0000")]), writer.write([row("shared", "b")])]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const lines = (await o.call<LogsPage>("GET", "/api/v1/logs/session/shared")).body.entries.map((e) => e.log_line);
    expect(lines.sort()).toEqual(["a", "b"]);
  });

  it("answers clear 4xx for malformed JSON, wrong types, empty and oversized batches, and stores nothing", async () => {
    const before = (await o.call<LogsPage>("GET", "/api/v1/logs/session/s1?limit=1000")).body.entries.length;
    expect((await o.call("POST", "/api/v1/logs/ingest", { raw: "{nope" })).status).toBe(400);
    const wrong = await o.call<ErrorBody>("POST", "/api/v1/logs/ingest", { body: { session_id: 5, log_line: "x", timestamp: at(1) } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.issues![0]!.path).toBe("session_id");
    expect((await o.call("POST", "/api/v1/logs/ingest", { body: [] })).status).toBe(400);
    const notArray = await o.call<ErrorBody>("POST", "/api/v1/logs/ingest", { body: { entries: "x" } });
    expect(notArray.body.message).toBe('Invalid body: "entries" must be an array');
    expect((await o.call("POST", "/api/v1/logs/ingest", { body: "text" })).status).toBe(400);
    const many = Array.from({ length: 10_001 }, (_, i) => entry(i));
    expect((await o.call("POST", "/api/v1/logs/ingest", { body: many })).status).toBe(413);
    const huge = [entry(1, { log_line: "x".repeat(60_000) })];
    const tooBig = Array.from({ length: 300 }, () => huge[0]);
    expect((await o.call("POST", "/api/v1/logs/ingest", { body: tooBig })).status).toBe(413);
    expect((await o.call<LogsPage>("GET", "/api/v1/logs/session/s1?limit=1000")).body.entries.length).toBe(before);
  });
});

describe("log queries", () => {
  beforeAll(async () => {
    const batch = Array.from({ length: 25 }, (_, i) =>
      ({ session_id: "q1", log_line: `q ${i}`, timestamp: at(i), level: i % 5 === 0 ? "error" : "info", source: i % 2 ? "pty" : "watcher" }),
    );
    await o.call("POST", "/api/v1/logs/ingest", { body: batch });
  });

  it("pages in time order with a cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const res = await o.call<LogsPage>("GET", `/api/v1/logs/session/q1?limit=10${q}`);
      seen.push(...res.body.entries.map((e) => e.log_line));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `q ${i}`));
  });

  it("filters by level, source and time range", async () => {
    const errors = await o.call<LogsPage>("GET", "/api/v1/logs/session/q1?level=error");
    expect(errors.body.entries.map((e) => e.log_line)).toEqual(["q 0", "q 5", "q 10", "q 15", "q 20"]);
    const pty = await o.call<LogsPage>("GET", `/api/v1/logs/session/q1?source=pty&since=${at(10)}&until=${at(15)}`);
    expect(pty.body.entries.map((e) => e.log_line)).toEqual(["q 11", "q 13"]);
  });

  it("answers 404 naming an unknown session, and 400 for a bad cursor", async () => {
    const res = await o.call<ErrorBody>("GET", "/api/v1/logs/session/nope-123");
    expect(res.status).toBe(404);
    expect(res.body.message).toContain("nope-123");
    expect((await o.call("GET", "/api/v1/logs/session/q1?cursor=zzz")).status).toBe(400);
    // A cursor from another session's page does not make an unknown session look empty.
    const cursor = (await o.call<LogsPage>("GET", "/api/v1/logs/session/q1?limit=5")).body.next_cursor!;
    expect((await o.call("GET", `/api/v1/logs/session/nope-123?cursor=${cursor}`)).status).toBe(404);
    const level = await o.call<ErrorBody>("GET", "/api/v1/logs/session/q1?level=error,bogus");
    expect(level.status).toBe(400);
    expect(level.body.message).toMatch(/level must be comma-separated levels/);
    const backwards = await o.call<ErrorBody>("GET", `/api/v1/logs/session/q1?since=${at(15)}&until=${at(10)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/since must not be later than until/);
  });

  it("streams a live tail over SSE, resuming after Last-Event-ID", async () => {
    const first = await o.call<LogsPage>("GET", "/api/v1/logs/session/q1?limit=1");
    const controller = new AbortController();
    const res = await fetch(`${o.base}/api/v1/logs/session/q1/tail`, {
      headers: { authorization: `Bearer kay_test_observer_org_a_0123456789`, "last-event-id": first.body.entries[0]!.id },
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    let text = "";
    await o.call("POST", "/api/v1/logs/ingest", { body: { session_id: "q1", log_line: "live!", timestamp: at(59) } });
    while (!text.includes("live!")) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).not.toContain('"q 0"');
    expect(text).toContain('"q 24"');
  });

  it("a live tail on another Observer instance of the same database hears lines another instance stored", async () => {
    const other = await buildObserver({ logLevel: "silent", resolveCaller: createKeyResolver(o.db), databaseUrl: o.url });
    await other.listen({ host: "127.0.0.1", port: 0 });
    try {
      await o.call("POST", "/api/v1/logs/ingest", { body: { session_id: "x-proc", log_line: "before the tail", timestamp: at(1) } });
      const res = await fetch(`http://127.0.0.1:${(other.server.address() as AddressInfo).port}/api/v1/logs/session/x-proc/tail`, {
        headers: { authorization: `Bearer ${KEY_A}` },
        signal: AbortSignal.timeout(15_000),
      });
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes("before the tail")) text += new TextDecoder().decode((await reader.read()).value);
      await o.call("POST", "/api/v1/logs/ingest", { body: { session_id: "x-proc", log_line: "through the first instance", timestamp: at(2) } });
      while (!text.includes("through the first instance")) text += new TextDecoder().decode((await reader.read()).value);
      expect(text.match(/before the tail/g)).toHaveLength(1);
      await reader.cancel();
    } finally {
      await other.close();
    }
  });
});

describe("organization scoping", () => {
  it("never shows one organization's logs, metrics or snapshots to another", async () => {
    expect((await o.call("GET", "/api/v1/logs/session/q1", { key: KEY_B })).status).toBe(404);
    expect((await o.call("GET", "/api/v1/analytics/metrics/q1", { key: KEY_B })).status).toBe(404);
    await o.call("POST", "/api/v1/logs/ingest", { key: KEY_B, body: { session_id: "q1", log_line: "b's own", timestamp: at(1) } });
    const b = await o.call<LogsPage>("GET", "/api/v1/logs/session/q1", { key: KEY_B });
    expect(b.body.entries.map((e) => e.log_line)).toEqual(["b's own"]);
    const dash = await o.call<Dashboard>("GET", `/api/v1/analytics/dashboard?since=${at(0)}&until=2026-11-21T00:00:00Z`, { key: KEY_B });
    expect(dash.body).toMatchObject({ organization_id: "org_b", log_lines: 1 });
  });

  it("lets the same event_id exist once per organization", async () => {
    const body = { session_id: "x", log_line: "x", timestamp: at(1), event_id: "shared-ev" };
    expect((await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { body })).body.stored).toBe(1);
    expect((await o.call<IngestResult>("POST", "/api/v1/logs/ingest", { key: KEY_B, body })).body.stored).toBe(1);
  });
});

describe("usage, spans, metrics, dashboard, retention", () => {
  it("ingests Nexus usage events idempotently and prices them", async () => {
    const ev = { event_id: "u1", session_id: "m1", model: "claude-sonnet-4-5-20250929", timestamp: at(10), input_tokens: 1000, output_tokens: 500, cache_read_tokens: 10_000, latency_ms: 900, agent_id: "agent-1", tool_calls: ["Read", "Edit"] };
    const res = await o.call("POST", "/api/v1/usage/ingest", { body: [ev, ev, { ...ev, event_id: "u2", model: "" }] });
    expect(res.body).toMatchObject({ stored: 1, duplicates: 1, rejected: 1 });
    expect((await o.call("POST", "/api/v1/usage/ingest", { body: ev })).body.duplicates).toBe(1);
    // The same event id with a larger count (a response's final usage after a partial one) replaces the stored copy, and says so.
    const grown = await o.call<IngestResult>("POST", "/api/v1/usage/ingest", { body: { ...ev, event_id: "u-grow", session_id: "m-grow", output_tokens: 100 } });
    expect(grown.body).toMatchObject({ stored: 1, results: [{ status: "stored" }] });
    const final = await o.call<IngestResult>("POST", "/api/v1/usage/ingest", { body: { ...ev, event_id: "u-grow", session_id: "m-grow", output_tokens: 400 } });
    expect(final.body).toMatchObject({ stored: 0, updated: 1, duplicates: 0, results: [{ status: "updated", event_id: "u-grow" }] });
    const smaller = await o.call<IngestResult>("POST", "/api/v1/usage/ingest", { body: { ...ev, event_id: "u-grow", session_id: "m-grow", output_tokens: 50 } });
    expect(smaller.body).toMatchObject({ stored: 0, duplicates: 1, results: [{ status: "duplicate" }] });
    // One model call alone: the session lasted its latency (its timestamp is the call's end), not 0 s.
    const one = (await o.call<SessionMetrics>("GET", "/api/v1/analytics/metrics/m-grow")).body;
    expect(one).toMatchObject({ duration: 0.9, wall_time_s: 0.9 });
    await o.call("POST", "/api/v1/usage/ingest", { body: { ...ev, event_id: "u3", timestamp: at(40), is_error: true, cost_usd: 1.5, model: "gpt-x" } });
    await o.call("POST", "/api/v1/logs/ingest", { body: [{ session_id: "m1", log_line: "start", timestamp: at(0) }, { session_id: "m1", log_line: "boom", level: "error", timestamp: at(50), attributes: { agent_id: "agent-1" } }] });
  });

  it("accepts OTel GenAI spans without double counting Anthropic cache tokens", async () => {
    const attr = (key: string, v: string | number) => ({ key, value: typeof v === "string" ? { stringValue: v } : { intValue: String(v) } });
    const span = {
      traceId: "t1", spanId: "sp1", name: "chat", startTimeUnixNano: String(BigInt(Date.parse(at(20))) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.parse(at(21))) * 1_000_000n),
      attributes: [attr("gen_ai.provider.name", "anthropic"), attr("gen_ai.request.model", "claude-haiku-4-5"), attr("session.id", "m1"),
        attr("gen_ai.usage.input_tokens", 2100), attr("gen_ai.usage.output_tokens", 40), attr("gen_ai.usage.cache_read.input_tokens", 2000)],
    };
    const res = await o.call("POST", "/api/v1/otel/spans", { body: { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] } });
    expect(res.body).toEqual({ spans: 1, stored: 1, skipped: 0 });
  });

  it("skips OTel spans it cannot read or store, counting them, and stores the rest (never a 500)", async () => {
    const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
    const end = Date.parse(at(30));
    const attr = (key: string, value: unknown) => ({ key, value });
    const base = [attr("gen_ai.request.model", { stringValue: "claude-haiku-4-5" }), attr("session.id", { stringValue: "otel-odd" })];
    const span = (id: string, extra: object[] = [], times: object = {}) => ({ spanId: id, startTimeUnixNano: ns(end - 500), endTimeUnixNano: ns(end), attributes: [...base, ...extra], ...times });
    const spans = [
      null,
      span("null-value", [attr("gen_ai.usage.input_tokens", null)]),
      span("far-end", [], { endTimeUnixNano: "1e30" }),
      span("absurd-count", [attr("gen_ai.usage.input_tokens", { intValue: "1e300" })]),
      span("bad-session", [attr("session.id", { stringValue: "x\u0000y" })]),
      span("start-1", [attr("gen_ai.usage.output_tokens", { intValue: "7" })], { startTimeUnixNano: "1" }),
      span("start-after-end", [], { startTimeUnixNano: ns(end + 5000) }),
    ];
    const res = await o.call<{ spans: number; stored: number; skipped: number }>("POST", "/api/v1/otel/spans", {
      body: { resourceSpans: [null, { scopeSpans: [null, { spans }] }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ spans: 9, stored: 3, skipped: 6 });
    const m = (await o.call<SessionMetrics>("GET", "/api/v1/analytics/metrics/otel-odd")).body;
    expect(m.usage.output_tokens).toBe(7);
    expect(m.turns.map((t) => t.latency_ms).sort()).toEqual([500, null, null]);
  });

  it("derives session metrics from the stored events", async () => {
    const m = (await o.call<SessionMetrics>("GET", "/api/v1/analytics/metrics/m1")).body;
    // sonnet (1000/500/10k read) + gpt-x with a reported cost (same counts) + the span (100 uncached input, 40, 2k read)
    expect(m.usage).toMatchObject({ input_tokens: 2100, output_tokens: 1040, cache_read_tokens: 22_000 });
    expect(m.tokens).toBe(2100 + 1040 + 22_000);
    const sonnet = (1000 * 3 + 500 * 15 + 10_000 * 0.3) / 1e6;
    const haiku = (100 * 1 + 40 * 5 + 2000 * 0.1) / 1e6;
    expect(m.usage.cost_usd).toBeCloseTo(sonnet + haiku + 1.5, 6);
    expect(m.models.map((x: { model: string }) => x.model).sort()).toEqual(["claude-haiku-4-5", "claude-sonnet-4-5-20250929", "gpt-x"]);
    expect(m.tool_calls).toEqual({ Read: 2, Edit: 2 });
    expect(m.errors).toBe(2);
    expect(m.log_lines).toBe(2);
    expect([m.first_event_at, m.last_event_at]).toEqual([at(0), at(50)]);
    expect(m.wall_time_s).toBe(50);
    expect(m.duration).toBe(50);
    expect(m.active_time_s).toBe(50);
    expect(m.turns).toHaveLength(3);
    expect(m.price_versions).toEqual(["2026-12-04.1"]);
    expect(m.unpriced_models).toEqual([]); // gpt-x came with its own cost
  });

  it("names the models it has no price for, counting their tokens", async () => {
    await o.call("POST", "/api/v1/usage/ingest", { body: { event_id: "u-future", session_id: "m-future", model: "claude-future-9", timestamp: "2026-10-01T00:00:00Z", input_tokens: 300, output_tokens: 20 } });
    const m = (await o.call<SessionMetrics>("GET", "/api/v1/analytics/metrics/m-future")).body;
    expect(m).toMatchObject({ tokens: 320, usage: { cost_usd: 0 }, unpriced_models: ["claude-future-9"] });
  });

  it("summarizes the organization on the dashboard", async () => {
    const d = (await o.call<Dashboard>("GET", `/api/v1/analytics/dashboard?since=${at(0)}&until=2026-11-21T00:00:00Z`)).body;
    expect(d.per_day[0]!.day).toBe("2026-11-20");
    expect(d.top_agents_by_cost[0]).toMatchObject({ agent_id: "agent-1" });
    expect(d.top_agents_by_failures[0]).toMatchObject({ agent_id: "agent-1", failures: 2 });
    expect(d.error_rate).toBeGreaterThan(0);
    expect(d.per_model.length).toBe(3);
  });

  it("deletes the caller's old logs in bounded batches, never another organization's", async () => {
    const old = Array.from({ length: 250 }, (_, i) => ({ session_id: "old", log_line: `o${i}`, timestamp: "2020-01-01T00:00:00Z" }));
    await o.call("POST", "/api/v1/logs/ingest", { body: old });
    await o.call("POST", "/api/v1/logs/ingest", { key: KEY_B, body: old.slice(0, 40) });
    const res = await o.call("POST", "/api/v1/logs/retention", { body: { older_than_days: 365, batch_size: 100 } });
    expect(res.body).toMatchObject({ deleted: 250, batches: 3 });
    expect((await o.call("GET", "/api/v1/logs/session/old")).status).toBe(404);
    expect((await o.call("GET", "/api/v1/logs/session/q1")).status).toBe(200);
    expect((await o.call<LogsPage>("GET", "/api/v1/logs/session/old", { key: KEY_B })).body.entries).toHaveLength(40);
    const huge = await o.call<ErrorBody>("POST", "/api/v1/logs/retention", { body: { older_than_days: 1e9 } });
    expect(huge.status).toBe(400);
    expect(huge.body.message).toMatch(/older_than_days/);
  });
});
