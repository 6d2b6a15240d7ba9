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
interface ModelPrice extends Rates {
  match: string;
  long_context?: Rates;
  fast?: Rates;
}
export interface PriceTable {
  version: string;
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

export function findPrice(model: string, table: PriceTable = priceTable): ModelPrice | undefined {
  let models = sorted.get(table);
  if (!models) sorted.set(table, (models = byLength(table)));
  const name = model.toLowerCase().replace(/^(anthropic[./:]|us\.anthropic\.|bedrock\/)/, "");
  return models.find((m) => name.startsWith(m.match));
}

/** USD cost, or null when the model is not in the table (stored as unpriced, recomputable later). */
export function costOf(usage: Usage, table: PriceTable = priceTable): number | null {
  const price = findPrice(usage.model, table);
  if (!price) return null;
  const promptTokens = usage.input + usage.cacheWrite5m + usage.cacheWrite1h + usage.cacheRead;
  let rates: Rates = price;
  if (usage.fast && price.fast) rates = price.fast;
  else if (price.long_context && promptTokens > table.long_context_threshold) rates = price.long_context;
  const micro =
    usage.input * rates.input +
    usage.output * rates.output +
    usage.cacheWrite5m * rates.cache_write_5m +
    usage.cacheWrite1h * rates.cache_write_1h +
    usage.cacheRead * rates.cache_read;
  return micro / 1_000_000;
}
