// Cost of one model response from the versioned price table (price-table.json). Each computed cost
// is stored with the table's version so costs can be recomputed when prices change.
import { createRequire } from "node:module";

interface Rates {
  input: number;
  output: number;
  cache_write_5m: number;
  cache_write_1h: number;
  cache_read: number;
}
/** Rates for a request whose prompt (input + cache writes + cache reads) is above the threshold. */
interface LongContextRates extends Rates {
  /** Prompt tokens above which these rates apply; the table's `long_context_threshold` when absent. */
  threshold?: number;
}
interface ModelPrice extends Rates {
  match: string;
  long_context?: LongContextRates;
  fast?: Rates;
}
export interface PriceTable {
  version: string;
  /** Default long-context threshold, for models whose `long_context` names none. */
  long_context_threshold: number;
  models: ModelPrice[];
}

export interface Usage {
  model: string;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  fast?: boolean;
}

export const priceTable = createRequire(import.meta.url)("../price-table.json") as PriceTable;

// Longest prefix first, so "claude-opus-4-1" wins over "claude-opus-4"; provider prefixes are ignored.
const byLength = (table: PriceTable) => [...table.models].sort((a, b) => b.match.length - a.match.length);
const sorted = new WeakMap<PriceTable, ModelPrice[]>();

// A match must end where the model's name ends: at the end of the id, or before a suffix that is not
// another version number ("-20250929", "-v1:0", "@20250929", "[1m]"). So "claude-fable-5-2" does not
// price the dated "claude-fable-5-20260609", and a minor version the table lacks ("claude-fable-5-2"
// without its own row) stays unpriced instead of taking its predecessor's prices.
const endsName = (rest: string) => rest === "" || (/^[^a-z0-9]/.test(rest) && !/^-\d{1,2}(?![a-z0-9])/.test(rest));

// Each import prices tens of thousands of responses from a handful of models: the match per model id
// is remembered (per table; bounded, in case ids come from anywhere).
const found = new WeakMap<PriceTable, Map<string, ModelPrice | undefined>>();
const FOUND_MAX = 1_000;

export function findPrice(model: string, table: PriceTable = priceTable): ModelPrice | undefined {
  let cache = found.get(table);
  if (!cache) found.set(table, (cache = new Map()));
  if (cache.has(model)) return cache.get(model);
  let models = sorted.get(table);
  if (!models) sorted.set(table, (models = byLength(table)));
  const name = model.toLowerCase().replace(/^(anthropic[./:]|us\.anthropic\.|bedrock\/)/, "");
  const price = models.find((m) => name.startsWith(m.match) && endsName(name.slice(m.match.length)));
  if (cache.size >= FOUND_MAX) cache.clear();
  cache.set(model, price);
  return price;
}

/** USD cost, or null when the model is not in the table (stored as unpriced, recomputable later). */
export function costOf(usage: Usage, table: PriceTable = priceTable): number | null {
  const price = findPrice(usage.model, table);
  if (!price) return null;
  const promptTokens = usage.input + usage.cacheWrite5m + usage.cacheWrite1h + usage.cacheRead;
  let rates: Rates = price;
  if (usage.fast && price.fast) rates = price.fast;
  else if (price.long_context && promptTokens > (price.long_context.threshold ?? table.long_context_threshold)) rates = price.long_context;
  const micro =
    usage.input * rates.input +
    usage.output * rates.output +
    usage.cacheWrite5m * rates.cache_write_5m +
    usage.cacheWrite1h * rates.cache_write_1h +
    usage.cacheRead * rates.cache_read;
  return micro / 1_000_000;
}
