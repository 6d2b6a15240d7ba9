// Recomputes stored costs with a price table: the rows priced with another version of it, and the
// unpriced ones (a model the table has since learned), in bounded batches, for one organization.
// Costs their sender reported (cost_source 'reported') are the sender's figure and stay as they are.
import type { CostRecomputeResult } from "@kayos/contracts";
import type { Pool } from "../store/db";
import { costOf, priceTable, type PriceTable } from "./pricing";

const BATCH = 5000;

export interface RecomputeScope {
  sessionId?: string;
  since?: Date;
  until?: Date;
  /** Rows already priced with this version too. */
  all?: boolean;
}

interface Row {
  event_id: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cache_read_tokens: number;
  fast: boolean;
  cost_usd: number | null;
  price_version: string | null;
}

export async function recomputeCosts(pool: Pool, organizationId: string, scope: RecomputeScope, table: PriceTable = priceTable): Promise<CostRecomputeResult> {
  const result: CostRecomputeResult = { price_version: table.version, examined: 0, updated: 0, unpriced: 0, unpriced_models: [], cost_before_usd: 0, cost_after_usd: 0 };
  const unpriced = new Set<string>();
  // Pages in primary key order (organization, event id).
  for (let after = ""; ; ) {
    const { rows } = await pool.query<Row>(
      `SELECT event_id, model, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, fast, cost_usd, price_version
       FROM usage_events
       WHERE organization_id = $1 AND event_id > $2 AND cost_source <> 'reported' AND ($3 OR price_version IS DISTINCT FROM $4)
         AND ($5::text IS NULL OR session_id = $5) AND ($6::timestamptz IS NULL OR "timestamp" >= $6) AND ($7::timestamptz IS NULL OR "timestamp" < $7)
       ORDER BY event_id LIMIT ${BATCH}`,
      [organizationId, after, scope.all === true, table.version, scope.sessionId ?? null, scope.since?.toISOString() ?? null, scope.until?.toISOString() ?? null],
    );
    if (rows.length === 0) break;
    after = rows.at(-1)!.event_id;
    const changed: { eventId: string; cost: number | null }[] = [];
    for (const r of rows) {
      const cost = costOf(
        { model: r.model, input: r.input_tokens, output: r.output_tokens, cacheWrite5m: r.cache_write_5m_tokens, cacheWrite1h: r.cache_write_1h_tokens, cacheRead: r.cache_read_tokens, fast: r.fast },
        table,
      );
      result.examined++;
      result.cost_before_usd += r.cost_usd ?? 0;
      result.cost_after_usd += cost ?? 0;
      if (cost === null) {
        result.unpriced++;
        unpriced.add(r.model);
      }
      const version = cost === null ? null : table.version;
      if (cost !== r.cost_usd || version !== r.price_version) changed.push({ eventId: r.event_id, cost });
    }
    if (changed.length > 0) {
      await pool.query(
        `UPDATE usage_events u
         SET cost_usd = v.cost, cost_source = CASE WHEN v.cost IS NULL THEN 'unpriced' ELSE 'computed' END,
             price_version = CASE WHEN v.cost IS NULL THEN NULL ELSE $3 END
         FROM unnest($1::text[], $2::float8[]) AS v(event_id, cost)
         WHERE u.organization_id = $4 AND u.event_id = v.event_id`,
        [changed.map((c) => c.eventId), changed.map((c) => c.cost), table.version, organizationId],
      );
      result.updated += changed.length;
    }
    if (rows.length < BATCH) break;
  }
  result.unpriced_models = [...unpriced].sort();
  return result;
}
