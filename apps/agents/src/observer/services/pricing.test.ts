// The price table and its lookup: current models priced with all five rates, per-model long-context
// thresholds, and model ids that must not land on a neighbouring model's row.
import { describe, expect, it } from "vitest";
import { costOf, findPrice, priceTable, type PriceTable, type Usage } from "./pricing";

const usage = (model: string, u: Partial<Omit<Usage, "model">> = {}): Usage => ({
  model,
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
  ...u,
});
const rates = (input: number) => ({ input, output: 5 * input, cache_write_5m: 1.25 * input, cache_write_1h: 2 * input, cache_read: input / 10 });

describe("price table", () => {
  it("is the 2026-12-04.1 version, with every rate set for every model", () => {
    expect(priceTable.version).toBe("2026-12-04.1");
    expect(priceTable.long_context_threshold).toBe(200_000);
    const matches = priceTable.models.map((m) => m.match);
    expect(new Set(matches).size).toBe(matches.length);
    for (const m of priceTable.models) {
      expect(m.match).toBe(m.match.toLowerCase());
      for (const r of [m, m.long_context, m.fast].filter((x) => x !== undefined)) {
        for (const k of ["input", "output", "cache_write_5m", "cache_write_1h", "cache_read"] as const) {
          expect(Number.isFinite(r[k]) && r[k] >= 0, `${m.match} ${k}`).toBe(true);
        }
      }
    }
  });

  it("prices Claude Code's default model, claude-opus-5-5, with its own cache rates", () => {
    // $4 input, $20 output, $5 / $8 for 5-minute / 1-hour cache writes, $0.20 cache reads (per MTok).
    const u = usage("claude-opus-5-5", { input: 1_200, output: 1_500, cacheWrite5m: 2_000, cacheWrite1h: 1_000, cacheRead: 30_000 });
    expect(findPrice("claude-opus-5-5")?.match).toBe("claude-opus-5-5");
    expect(costOf(u)).toBeCloseTo((1_200 * 4 + 1_500 * 20 + 2_000 * 5 + 1_000 * 8 + 30_000 * 0.2) / 1e6, 12);
    // One million tokens of each kind, rate by rate.
    const m = 1_000_000;
    expect(costOf(usage("claude-opus-5-5", { input: m }))).toBeCloseTo(4, 12);
    expect(costOf(usage("claude-opus-5-5", { output: m }))).toBeCloseTo(20, 12);
    expect(costOf(usage("claude-opus-5-5", { cacheWrite5m: m }))).toBeCloseTo(5, 12);
    expect(costOf(usage("claude-opus-5-5", { cacheWrite1h: m }))).toBeCloseTo(8, 12);
    expect(costOf(usage("claude-opus-5-5", { cacheRead: m }))).toBeCloseTo(0.2, 12);
    // The same response on Opus 5 costs Opus 5's rates.
    expect(costOf({ ...u, model: "claude-opus-5" })).toBeCloseTo((1_200 * 5 + 1_500 * 25 + 2_000 * 6.25 + 1_000 * 10 + 30_000 * 0.5) / 1e6, 12);
  });

  it("prices the rest of the current generation", () => {
    const perMTok = (model: string) => {
      const m = 1_000_000;
      return [{ input: m }, { output: m }, { cacheWrite5m: m }, { cacheWrite1h: m }, { cacheRead: m }].map((u) => Number(costOf(usage(model, u))!.toFixed(6)));
    };
    expect(perMTok("claude-fable-5-1")).toEqual([10, 50, 12.5, 20, 0.25]);
    expect(perMTok("claude-mythos-5-1")).toEqual([10, 50, 12.5, 20, 0.25]);
    expect(perMTok("claude-fable-5")).toEqual([10, 50, 12.5, 20, 1]);
    expect(perMTok("claude-sonnet-5-5")).toEqual([2, 10, 2.5, 4, 0.2]);
    expect(perMTok("claude-sonnet-5")).toEqual([2, 10, 2.5, 4, 0.2]);
    expect(perMTok("claude-opus-4-8")).toEqual([5, 25, 6.25, 10, 0.5]);
    expect(perMTok("claude-opus-4-7")).toEqual([5, 25, 6.25, 10, 0.5]);
  });

  it("bills a Claude Haiku 5.5 prompt over 100,000 tokens at the higher rates, on every token", () => {
    const at = (prompt: number) => usage("claude-haiku-5-5", { input: prompt - 90_000, cacheRead: 80_000, cacheWrite5m: 10_000, output: 2_000 });
    // Up to 100,000 prompt tokens: $0.10 input, $0.50 output, $0.125 / $0.20 writes, $0.01 reads.
    expect(costOf(at(100_000))).toBeCloseTo((10_000 * 0.1 + 2_000 * 0.5 + 10_000 * 0.125 + 80_000 * 0.01) / 1e6, 12);
    // Over: $0.50 input, $2.50 output, $0.625 / $1 writes, $0.05 reads — output included.
    expect(costOf(at(100_001))).toBeCloseTo((10_001 * 0.5 + 2_000 * 2.5 + 10_000 * 0.625 + 80_000 * 0.05) / 1e6, 12);
    expect(costOf(usage("claude-haiku-5-5", { input: 150_000, cacheWrite1h: 1_000 }))).toBeCloseTo((150_000 * 0.5 + 1_000 * 1) / 1e6, 12);
  });

  it("keeps the table-wide 200k threshold for models whose long-context tier names none", () => {
    const sonnet = (input: number) => costOf(usage("claude-sonnet-4-6", { input, output: 1_000 }));
    expect(sonnet(150_000)).toBeCloseTo((150_000 * 3 + 1_000 * 15) / 1e6, 12);
    expect(sonnet(200_000)).toBeCloseTo((200_000 * 3 + 1_000 * 15) / 1e6, 12);
    expect(sonnet(200_001)).toBeCloseTo((200_001 * 6 + 1_000 * 22.5) / 1e6, 12);
  });

  it("uses a model's own threshold over the table's, and fast rates over both", () => {
    const table: PriceTable = {
      version: "test",
      long_context_threshold: 200_000,
      models: [{ match: "claude-x", ...rates(1), long_context: { threshold: 50_000, ...rates(2) }, fast: rates(6) }],
    };
    expect(costOf(usage("claude-x", { input: 50_000 }), table)).toBeCloseTo(0.05, 12);
    expect(costOf(usage("claude-x", { input: 50_001 }), table)).toBeCloseTo(0.100002, 12);
    expect(costOf(usage("claude-x", { input: 50_001, fast: true }), table)).toBeCloseTo(0.300006, 12);
  });
});

describe("model ids", () => {
  it("land on their own row: dated, provider-prefixed and suffixed ids included", () => {
    const row = (model: string) => findPrice(model)?.match;
    expect(row("claude-opus-5-5")).toBe("claude-opus-5-5");
    expect(row("claude-opus-5")).toBe("claude-opus-5");
    expect(row("claude-opus-5-20260723")).toBe("claude-opus-5");
    expect(row("claude-sonnet-5-20260630")).toBe("claude-sonnet-5");
    expect(row("claude-sonnet-5-5-20260928")).toBe("claude-sonnet-5-5");
    expect(row("claude-fable-5-20260609")).toBe("claude-fable-5");
    expect(row("claude-opus-5-5[1m]")).toBe("claude-opus-5-5");
    expect(row("claude-opus-5-5@20260922")).toBe("claude-opus-5-5");
    expect(row("us.anthropic.claude-opus-5-5-v1:0")).toBe("claude-opus-5-5");
    expect(row("anthropic/claude-haiku-5-5")).toBe("claude-haiku-5-5");
    expect(row("claude-sonnet-4-5-20250929")).toBe("claude-sonnet-4-5");
    expect(row("claude-sonnet-4-20250514")).toBe("claude-sonnet-4");
    expect(row("claude-opus-4-1-20250805")).toBe("claude-opus-4-1");
    expect(row("claude-3-5-sonnet-20241022")).toBe("claude-3-5-sonnet");
    expect(row("claude-3-haiku-20240307")).toBe("claude-3-haiku");
  });

  it("never take a neighbouring row: a date suffix is not a minor version, and an unknown minor version stays unpriced", () => {
    // Where a row for the next minor version exists, a dated id of the major must not fall into it.
    const table: PriceTable = {
      version: "test",
      long_context_threshold: 200_000,
      models: [
        { match: "claude-fable-5", ...rates(10) },
        { match: "claude-fable-5-2", ...rates(8) },
      ],
    };
    expect(findPrice("claude-fable-5-20260609", table)?.match).toBe("claude-fable-5");
    expect(findPrice("claude-fable-5-2-20261109", table)?.match).toBe("claude-fable-5-2");
    expect(costOf(usage("claude-fable-5-20260609", { input: 1_000_000 }), table)).toBeCloseTo(10, 12);
    // A minor version the table has no row for is unpriced (recomputable later), not priced as its predecessor.
    expect(findPrice("claude-fable-5-2")).toBeUndefined();
    expect(findPrice("claude-opus-4-9")).toBeUndefined();
    expect(costOf(usage("claude-opus-4-9", { input: 1_000 }))).toBeNull();
    expect(findPrice("claude-opus-5-55")).toBeUndefined();
    expect(findPrice("claude-opus-4-7")?.match).toBe("claude-opus-4-7");
    // The "-0" aliases of the 4.0 models keep their prices.
    expect(findPrice("claude-opus-4-0")?.input).toBe(15);
    expect(findPrice("claude-sonnet-4-0")?.input).toBe(3);
  });
});
