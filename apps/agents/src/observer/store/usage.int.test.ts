// The usage store writes large batches through COPY and small ones as array parameters: both must
// store exactly the same rows, whatever the strings hold, including re-imports that upgrade rows.
import { describe, expect, it } from "vitest";
import type { UsageRecord } from "../services/usage-record";
import { storeTestPool } from "./test-pool";
import { createPool } from "./db";
import { upsertUsage, usageTransaction } from "./usage";

const pool = storeTestPool();

const AWKWARD = ["tab\there", "back\\slash", "new\nline\r\n", 'quote"d', "é ✓ 東京", "\\N", ""];

function record(i: number, extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    eventId: `cc:msg_${i}:req_${i}`,
    sessionId: i % 7 === 0 ? `s-${AWKWARD[i % AWKWARD.length]}` : `s-${i % 13}`,
    source: "claude-code",
    model: i % 5 === 0 ? `model-${AWKWARD[i % AWKWARD.length]}` : "claude-sonnet-4-5-20250929",
    messageId: `msg_${i}`,
    requestId: `req_${i}`,
    isSidechain: false,
    // Past 2^32 (binary COPY writes int8 in two halves), and instants before PostgreSQL's 2000 epoch.
    input: i % 23 === 0 ? 2 ** 33 + i : i,
    output: 2 * i,
    cacheWrite5m: i % 3,
    cacheWrite1h: i % 2,
    cacheRead: 10 * i,
    fast: i % 11 === 0,
    costUsd: i % 4 === 0 ? null : i / 1e7,
    costSource: i % 4 === 0 ? "unpriced" : "computed",
    priceVersion: i % 4 === 0 ? null : "2026-11-01.1",
    latencyMs: i % 6 === 0 ? i : null,
    ttftMs: i % 8 === 0 ? i + 1 : null,
    executionId: i % 9 === 0 ? `exec-${AWKWARD[i % AWKWARD.length]}` : null,
    agentId: i % 10 === 0 ? `agent-${AWKWARD[i % AWKWARD.length]}` : null,
    isError: i % 17 === 0,
    tools: i % 3 === 0 ? { [`toolu_${i}`]: `Tool ${AWKWARD[i % AWKWARD.length]}` } : null,
    timestamp: new Date(Date.UTC(i % 19 === 0 ? 1990 : 2026, 10, 1, 0, 0, 0, i)),
    ...extra,
  };
}

// A first import: 1,500 responses, 50 of them also as sidechain replays (same message, session
// and instant, another request id), which the store must drop.
const first = [
  ...Array.from({ length: 1500 }, (_, i) => record(i)),
  ...Array.from({ length: 50 }, (_, k) => ({ ...record(k * 30), eventId: `cc:msg_${k * 30}:req_side_${k}`, requestId: `req_side_${k}`, isSidechain: true })),
];
// A re-import: larger totals for some (they win), new tool calls for others (merged), and
// 20 new responses.
const second = [
  ...Array.from({ length: 200 }, (_, k) => record(k * 5, { output: 1_000_000 + k })),
  ...Array.from({ length: 200 }, (_, k) => record(k * 5 + 1, { tools: { [`toolu_new_${k}`]: "Read" } })),
  ...Array.from({ length: 20 }, (_, k) => record(5000 + k)),
];

const stored = async (org: string) =>
  (
    await pool().query(
      `SELECT event_id, session_id, source, model, message_id, request_id, is_sidechain, input_tokens, output_tokens, cache_write_5m_tokens,
         cache_write_1h_tokens, cache_read_tokens, fast, cost_usd, cost_source, price_version, latency_ms, ttft_ms, execution_id, agent_id,
         is_error, tool_calls, "timestamp"
       FROM usage_events WHERE organization_id = $1 ORDER BY event_id`,
      [org],
    )
  ).rows;

async function importInSmallBatches(org: string, records: UsageRecord[]) {
  const fresh = new Set<string>();
  for (let from = 0; from < records.length; from += 100) for (const id of (await upsertUsage(pool(), org, records.slice(from, from + 100))).inserted) fresh.add(id);
  return fresh;
}

/**
 * Writes the batches in one transaction (for `org`) and each in a transaction of its own (for
 * `org`_separate), expects the same rows, and returns the one transaction's account and rows.
 */
async function writtenTogetherAndApart(org: string, batches: UsageRecord[][]) {
  const together = await usageTransaction(pool(), org, async (write) => {
    for (const batch of batches) await write(batch);
  });
  for (const batch of batches) await upsertUsage(pool(), `${org}_separate`, batch);
  const rows = await stored(org);
  expect(rows).toEqual(await stored(`${org}_separate`));
  return { together, rows };
}

describe("usage store", () => {
  it("stores the same rows through COPY (large batches) as through array parameters (small ones), also on re-import", async () => {
    const copied = (await upsertUsage(pool(), "org_copy", first)).inserted;
    const params = await importInSmallBatches("org_params", first);
    expect(copied.size).toBe(1500);
    expect([...copied].sort()).toEqual([...params].sort());
    const afterFirst = await stored("org_copy");
    expect(afterFirst).toHaveLength(1500);
    expect(afterFirst.some((r) => r.is_sidechain)).toBe(false);
    expect(afterFirst).toEqual(await stored("org_params"));

    // Awkward strings come back as they went in.
    const awkward = afterFirst.find((r) => r.event_id === "cc:msg_21:req_21")!;
    expect(awkward).toMatchObject({ session_id: `s-${AWKWARD[0]}`, tool_calls: { toolu_21: `Tool ${AWKWARD[0]}` }, execution_id: null });
    expect(afterFirst.find((r) => r.event_id === "cc:msg_45:req_45")).toMatchObject({ model: `model-${AWKWARD[3]}`, execution_id: `exec-${AWKWARD[3]}` });
    expect(afterFirst.find((r) => r.event_id === "cc:msg_20:req_20")).toMatchObject({ model: `model-${AWKWARD[6]}`, cost_usd: null, cost_source: "unpriced" });

    const again = await upsertUsage(pool(), "org_copy", [...first, ...second.filter((r) => !first.some((f) => f.eventId === r.eventId))]);
    expect(again.inserted.size).toBe(20);
    expect(again.updated.size).toBe(0);
    await upsertUsage(pool(), "org_copy", second);
    await importInSmallBatches("org_params", second);
    const afterSecond = await stored("org_copy");
    expect(afterSecond).toHaveLength(1520);
    expect(afterSecond).toEqual(await stored("org_params"));
    expect(afterSecond.find((r) => r.event_id === "cc:msg_10:req_10")).toMatchObject({ output_tokens: 1_000_002 });
    expect(afterSecond.find((r) => r.event_id === "cc:msg_6:req_6")!.tool_calls).toEqual({ toolu_6: `Tool ${AWKWARD[6]}`, toolu_new_1: "Read" });
  });

  it("a large write that meets a response another write is storing at that moment keeps both (COPY undone, the upsert takes over)", { timeout: 30_000 }, async () => {
    const own = createPool(pool().options.connectionString!, 3);
    try {
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let started!: () => void;
      const written = new Promise<void>((resolve) => (started = resolve));
      // Another write stores response 7 (with more output) and holds its transaction open.
      const other = usageTransaction(own, "org_race", async (write) => {
        await write([record(7, { output: 999 })]);
        started();
        await held;
      });
      await written;
      const large = upsertUsage(own, "org_race", first);
      // The large write's COPY waits for the other transaction's row of response 7.
      for (let i = 0; i < 200; i++) {
        const { rows } = await own.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'COPY usage_events%'`);
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      commit();
      await other;
      const result = await large;
      expect(result.inserted.size).toBe(1499);
      expect(result.inserted.has("cc:msg_7:req_7")).toBe(false);
      const rows = await stored("org_race");
      expect(rows).toHaveLength(1500);
      expect(rows.find((r) => r.event_id === "cc:msg_7:req_7")).toMatchObject({ output_tokens: 999 });
      expect(rows.some((r) => r.is_sidechain)).toBe(false);
    } finally {
      await own.end();
    }
  });

  it("a large write that makes a stored sidechain copy main-chain upgrades it (tool calls merged) beside a new response of the same message", async () => {
    const org = "org_upgrade";
    const side = record(9000, { isSidechain: true, tools: { toolu_old: "Read" } });
    await upsertUsage(pool(), org, [side]);
    // The same response on the main chain, and another response of that message at that instant (another key).
    const main = record(9000, { tools: { toolu_new: "Edit" } });
    const other = record(9000, { eventId: "cc:msg_9000:req_other", requestId: "req_other" });
    const result = await upsertUsage(pool(), org, [...Array.from({ length: 1000 }, (_, i) => record(10_000 + i)), main, other]);
    expect(result.updated.has(main.eventId)).toBe(true);
    expect(result.inserted.has(main.eventId)).toBe(false);
    expect(result.inserted.has(other.eventId)).toBe(true);
    const rows = await stored(org);
    expect(rows).toHaveLength(1002);
    expect(rows.find((r) => r.event_id === main.eventId)).toMatchObject({ is_sidechain: false, tool_calls: { toolu_old: "Read", toolu_new: "Edit" } });
  });

  it("a large write drops a sidechain line replaying a stored response, and still stores a later main-chain line of that key", async () => {
    const org = "org_replay_then_main";
    const stored0 = record(9100);
    await upsertUsage(pool(), org, [stored0]);
    const replay = record(9100, { eventId: "cc:msg_9100:req_e", requestId: "req_e", isSidechain: true });
    const result = await upsertUsage(pool(), org, [replay, ...Array.from({ length: 1000 }, (_, i) => record(20_000 + i)), { ...replay, isSidechain: false }]);
    expect(result.inserted.has(replay.eventId)).toBe(true);
    const rows = await stored(org);
    expect(rows).toHaveLength(1002);
    expect(rows.find((r) => r.event_id === replay.eventId)).toMatchObject({ is_sidechain: false });
  });

  it("a transaction's later large writes know its own earlier rows without asking: same rows as writing each batch on its own", async () => {
    // Batch 1 stores a sidechain copy and a response; batch 2 brings the main-chain line at the copy's
    // session and instant (another key: the copy goes) and a better copy of the response (it wins).
    const side = record(9200, { eventId: "cc:msg_9200:req_side", requestId: "req_side", isSidechain: true });
    const batches = [
      [...Array.from({ length: 1000 }, (_, i) => record(30_000 + i)), side, record(9201, { output: 5 })],
      [...Array.from({ length: 1000 }, (_, i) => record(31_000 + i)), record(9200), record(9201, { output: 50, tools: { toolu_9201: "Grep" } })],
    ];
    const { together, rows } = await writtenTogetherAndApart("org_memory", batches);
    expect(rows).toHaveLength(2002);
    expect(rows.some((r) => r.event_id === side.eventId)).toBe(false);
    expect(rows.find((r) => r.event_id === "cc:msg_9201:req_9201")).toMatchObject({ output_tokens: 50, tool_calls: { toolu_9201: "Grep" } });
    expect(together.inserted.has(side.eventId)).toBe(false);
    expect(together.inserted.size).toBe(2002);
  });

  it("a transaction's later large writes pass over repeats that change nothing, and store what a repeat does change", async () => {
    // Repeats of responses written earlier in the transaction (a resumed session copies its
    // predecessor's lines): the same copy again changes nothing; a copy with a tool call the stored
    // one lacks merges it; a main-chain line at the instant where another session stored a sidechain
    // copy of the response drops that copy (stored by an earlier write, or by the same one), though
    // its own copy loses to the stored one.
    const at = new Date(Date.UTC(2026, 10, 2));
    const sideOf = (i: number) => record(i, { eventId: `cc:msg_${i}:req_side`, requestId: "req_side", isSidechain: true, sessionId: "s-resumed", timestamp: at });
    const batches = [
      [...Array.from({ length: 1000 }, (_, i) => record(50_000 + i)), record(9400, { tools: { toolu_a: "Read" } }), record(9401), record(9402), record(9403)],
      [...Array.from({ length: 1000 }, (_, i) => record(51_000 + i)), record(9400, { tools: { toolu_a: "Read" } }), record(9401, { tools: { toolu_b: "Bash" } }), sideOf(9402)],
      [...Array.from({ length: 1000 }, (_, i) => record(52_000 + i)), record(9402, { sessionId: "s-resumed", timestamp: at }), sideOf(9403), record(9403, { sessionId: "s-resumed", timestamp: at })],
    ];
    const { together, rows } = await writtenTogetherAndApart("org_repeats", batches);
    expect(rows).toHaveLength(3004);
    expect(rows.find((r) => r.event_id === "cc:msg_9400:req_9400")).toMatchObject({ tool_calls: { toolu_a: "Read" } });
    expect(rows.find((r) => r.event_id === "cc:msg_9401:req_9401")?.tool_calls).toEqual({ toolu_b: "Bash", ...(record(9401).tools ?? {}) });
    expect(rows.find((r) => r.event_id === "cc:msg_9402:req_9402")).toMatchObject({ session_id: record(9402).sessionId });
    for (const side of [sideOf(9402), sideOf(9403)]) {
      expect(rows.some((r) => r.event_id === side.eventId)).toBe(false);
      expect(together.inserted.has(side.eventId)).toBe(false);
    }
    expect(together.inserted.size).toBe(3004);
  });

  it("a large write drops a sidechain copy stored before it by a main-chain line of another key at its session and instant", async () => {
    const side = record(9300, { eventId: "cc:msg_9300:req_side", requestId: "req_side", isSidechain: true });
    await upsertUsage(pool(), "org_side_before", [side]);
    await upsertUsage(pool(), "org_side_before", [...Array.from({ length: 1000 }, (_, i) => record(40_000 + i)), record(9300)]);
    const rows = await stored("org_side_before");
    expect(rows).toHaveLength(1001);
    expect(rows.some((r) => r.event_id === side.eventId)).toBe(false);
  });
});
