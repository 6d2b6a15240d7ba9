// Recomputing stored costs when the price table changes: rows priced with an older version and
// unpriced rows get today's prices; reported costs, other sessions and other organizations stay.
import type { CostRecomputeResult, SessionMetrics } from "@kayos/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costOf, priceTable, type PriceTable } from "./services/pricing";
import { recomputeCosts } from "./services/recompute-costs";
import { createPool } from "./store/db";
import { KEY_B, startObserver } from "./test-helpers";

let o: Awaited<ReturnType<typeof startObserver>>;
beforeAll(async () => {
  o = await startObserver();
}, 60_000);
afterAll(() => o.stop());

const usage = { input_tokens: 12_000, output_tokens: 3_000, cache_read_tokens: 40_000, cache_write_5m_tokens: 2_000 };
const sonnet = "claude-sonnet-4-5-20250929";
const todays = costOf({ model: sonnet, input: 12_000, output: 3_000, cacheRead: 40_000, cacheWrite5m: 2_000, cacheWrite1h: 0 })!;
const event = (event_id: string, session_id: string, extra: Record<string, unknown> = {}) => ({ event_id, session_id, model: sonnet, timestamp: "2026-11-20T10:00:00Z", ...usage, ...extra });
const metrics = async (session: string, key?: string) => (await o.call<SessionMetrics>("GET", `/api/v1/analytics/metrics/${session}`, { key })).body;

describe("cost recomputation", () => {
  it("reprices rows of an older price-table version and leaves reported costs, other sessions and other organizations alone", async () => {
    await o.call("POST", "/api/v1/usage/ingest", { body: [event("c1", "s-old"), event("c2", "s-old"), event("c3", "s-old", { cost_usd: 9.99 }), event("c4", "s-other")] });
    await o.call("POST", "/api/v1/usage/ingest", { key: KEY_B, body: event("c1", "s-old") });
    // As if priced by last year's table: another version, another figure.
    await o.db.$executeRawUnsafe(`UPDATE usage_events SET cost_usd = 0.5, price_version = '2025-01-01.1' WHERE cost_source = 'computed'`);
    expect((await metrics("s-old")).price_versions).toEqual(["2025-01-01.1"]);

    const res = await o.call<CostRecomputeResult>("POST", "/api/v1/analytics/costs/recompute", { body: { session_id: "s-old" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ price_version: priceTable.version, examined: 2, updated: 2, unpriced: 0, cost_before_usd: 1 });
    expect(res.body.cost_after_usd).toBeCloseTo(2 * todays, 9);
    const after = await metrics("s-old");
    expect(after.price_versions).toEqual([priceTable.version]);
    // Two repriced rows and the reported 9.99, untouched.
    expect(after.usage.cost_usd).toBeCloseTo(2 * todays + 9.99, 6);
    expect((await metrics("s-other")).price_versions).toEqual(["2025-01-01.1"]);
    expect((await metrics("s-old", KEY_B)).price_versions).toEqual(["2025-01-01.1"]);

    // Nothing left to do: a second run changes nothing.
    expect((await o.call<CostRecomputeResult>("POST", "/api/v1/analytics/costs/recompute", { body: { session_id: "s-old" } })).body).toMatchObject({ examined: 0, updated: 0 });
    // The whole organization, by time range.
    const all = await o.call<CostRecomputeResult>("POST", "/api/v1/analytics/costs/recompute", { body: { since: "2026-11-01T00:00:00Z", until: "2026-12-01T00:00:00Z" } });
    expect(all.body).toMatchObject({ examined: 1, updated: 1 });
    expect((await metrics("s-other")).price_versions).toEqual([priceTable.version]);
  });

  it("prices unpriced rows once the table knows their model, and says which models it still does not know", async () => {
    await o.call("POST", "/api/v1/usage/ingest", { body: [event("n1", "s-new", { model: "claude-nova-1" }), event("n2", "s-new", { model: "claude-mystery-2" })] });
    const before = await metrics("s-new");
    expect(before.unpriced_models.sort()).toEqual(["claude-mystery-2", "claude-nova-1"]);

    const unchanged = await o.call<CostRecomputeResult>("POST", "/api/v1/analytics/costs/recompute", { body: { session_id: "s-new" } });
    expect(unchanged.body).toMatchObject({ examined: 2, updated: 0, unpriced: 2, unpriced_models: ["claude-mystery-2", "claude-nova-1"] });

    // The next version of the table adds one of them.
    const next: PriceTable = { ...priceTable, version: "2099-01-01.1", models: [...priceTable.models, { match: "claude-nova-1", input: 1, output: 2, cache_write_5m: 1.25, cache_write_1h: 2, cache_read: 0.1 }] };
    const pool = createPool(o.url, 2);
    try {
      const res = await recomputeCosts(pool, "org_a", { sessionId: "s-new" }, next);
      expect(res).toMatchObject({ price_version: "2099-01-01.1", examined: 2, updated: 1, unpriced: 1, unpriced_models: ["claude-mystery-2"] });
      expect(res.cost_after_usd).toBeCloseTo((12_000 * 1 + 3_000 * 2 + 40_000 * 0.1 + 2_000 * 1.25) / 1e6, 12);
    } finally {
      await pool.end();
    }
    expect((await metrics("s-new")).price_versions).toEqual(["2099-01-01.1"]);
  });

  it("prices Claude Code's default model, claude-opus-5-5, and stores the table version with the cost", async () => {
    const opus = { input_tokens: 1_200, output_tokens: 1_500, cache_write_5m_tokens: 2_000, cache_write_1h_tokens: 1_000, cache_read_tokens: 30_000 };
    await o.call("POST", "/api/v1/usage/ingest", { body: [event("o1", "s-opus55", { model: "claude-opus-5-5", ...opus }), event("o2", "s-opus55", { model: "claude-opus-5-5-20260922", ...opus })] });
    const m = await metrics("s-opus55");
    // $4 input, $20 output, $5 / $8 cache writes (5 minutes / 1 hour), $0.20 cache reads per MTok.
    expect(m.usage.cost_usd).toBeCloseTo((2 * (1_200 * 4 + 1_500 * 20 + 2_000 * 5 + 1_000 * 8 + 30_000 * 0.2)) / 1e6, 9);
    expect(m.unpriced_models).toEqual([]);
    expect(m.price_versions).toEqual(["2026-12-04.1"]);
    expect(priceTable.version).toBe("2026-12-04.1");
  });

  it("refuses a malformed scope", async () => {
    const bad = await o.call<{ message: string }>("POST", "/api/v1/analytics/costs/recompute", { body: { since: "yesterday" } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("since");
    const backwards = await o.call<{ message: string }>("POST", "/api/v1/analytics/costs/recompute", { body: { since: "2026-11-02T00:00:00Z", until: "2026-11-01T00:00:00Z" } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toBe("since must be before until");
  });

  it("reprices every row of a large organization, page after page, and each row once", async () => {
    // More rows than one page (5,000), stored in one ingest per 1,000 (the route's batch limit).
    const rows = Array.from({ length: 12_000 }, (_, i) => event(`p${i}`, `s-page-${i % 40}`, { timestamp: "2026-10-05T10:00:00Z" }));
    const october = { since: new Date("2026-10-01T00:00:00Z"), until: new Date("2026-11-01T00:00:00Z") };
    for (let from = 0; from < rows.length; from += 1_000) await o.call("POST", "/api/v1/usage/ingest", { key: KEY_B, body: rows.slice(from, from + 1_000) });
    const next: PriceTable = { ...priceTable, version: "2099-02-01.1" };
    const pool = createPool(o.url, 2);
    try {
      expect(await recomputeCosts(pool, "org_b", october, next)).toMatchObject({ examined: 12_000, updated: 12_000 });
      expect(await recomputeCosts(pool, "org_b", october, next)).toMatchObject({ examined: 0, updated: 0 });
      // Rows already priced with this version too: every page is read by its position, not by its price.
      expect(await recomputeCosts(pool, "org_b", { ...october, all: true }, next)).toMatchObject({ examined: 12_000, updated: 0 });
      const { rows: versions } = await pool.query(
        `SELECT price_version, COUNT(*)::int AS n FROM usage_events WHERE organization_id = 'org_b' AND session_id LIKE 's-page-%' GROUP BY 1`,
      );
      expect(versions).toEqual([{ price_version: "2099-02-01.1", n: 12_000 }]);
    } finally {
      await pool.end();
    }
  });
});
