import { z } from "zod";
import { text, textRecord } from "./common";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export const logLevel = z.enum(LOG_LEVELS);

/**
 * One log line for CodingObserver: the seed's `{session_id, log_line, timestamp}` plus optional
 * level, source, attributes and an event_id that makes a retried send idempotent.
 */
export const logEntryInput = z.object({
  session_id: text().min(1).max(200),
  log_line: text().max(64 * 1024),
  timestamp: z.iso.datetime({ offset: true }),
  level: logLevel.optional(),
  source: text().max(100).optional(),
  attributes: textRecord().optional(),
  event_id: text().min(1).max(200).optional(),
});
export type LogEntryInput = z.infer<typeof logEntryInput>;

/** Batch limits of `POST /api/v1/logs/ingest` (and the usage route). */
export const INGEST_MAX_ENTRIES = 10_000;
export const INGEST_MAX_BYTES = 16 * 1024 * 1024;

/** The body of `POST /api/v1/logs/ingest`: one entry, an array, or `{entries: [...]}`. */
export const logIngestBody = z.union([
  logEntryInput,
  z.array(logEntryInput).max(INGEST_MAX_ENTRIES),
  z.object({ entries: z.array(logEntryInput).max(INGEST_MAX_ENTRIES) }),
]);
export type LogIngestBody = z.infer<typeof logIngestBody>;

/** Per entry of an ingest: stored now, already stored earlier (same event_id), or refused. */
export const ingestEntryResult = z.object({
  index: z.number().int(),
  /** `updated`: the event id was stored before and this copy replaced it (a larger token count of the same response). */
  status: z.enum(["stored", "updated", "duplicate", "invalid"]),
  event_id: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export const ingestResult = z.object({
  accepted: z.number().int(),
  stored: z.number().int(),
  /** Entries that replaced their stored copy (usage events only). */
  updated: z.number().int().optional(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(ingestEntryResult),
});
export type IngestResult = z.infer<typeof ingestResult>;

export const logsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: text().max(200).optional(),
    level: text()
      .max(100)
      .refine((v) => v.split(",").every((l) => (LOG_LEVELS as readonly string[]).includes(l.trim())), { message: `must be comma-separated levels of ${LOG_LEVELS.join(", ")}` })
      .optional()
      .describe("comma-separated levels"),
    source: text().max(100).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((q) => !q.since || !q.until || Date.parse(q.since) <= Date.parse(q.until), { message: "since must not be later than until", path: ["since"] });
export type LogsQuery = z.infer<typeof logsQuery>;

export const logEntryOutput = z.object({
  id: z.string(),
  session_id: z.string(),
  event_id: z.string().nullable(),
  level: z.string(),
  source: z.string(),
  log_line: z.string(),
  attributes: z.record(z.string(), z.unknown()).nullable(),
  timestamp: z.string(),
});
export type LogEntryOutput = z.infer<typeof logEntryOutput>;
export const logsPage = z.object({
  session_id: z.string(),
  entries: z.array(logEntryOutput),
  next_cursor: z.string().nullable(),
});
export type LogsPage = z.infer<typeof logsPage>;

const tokens = z.number().int().min(0).max(2_000_000_000);

/** A model call reported by Nexus or Smith: `POST /api/v1/usage/ingest` (one, an array, or `{events}`). */
export const usageEventInput = z.object({
  event_id: text().min(1).max(200),
  session_id: text().min(1).max(200),
  model: text().min(1).max(200),
  timestamp: z.iso.datetime({ offset: true }),
  input_tokens: tokens.default(0),
  output_tokens: tokens.default(0),
  cache_write_5m_tokens: tokens.default(0),
  cache_write_1h_tokens: tokens.default(0),
  cache_read_tokens: tokens.default(0),
  /** When given, stored as reported; otherwise computed from the price table. */
  cost_usd: z.number().min(0).optional(),
  latency_ms: z.number().int().min(0).optional(),
  ttft_ms: z.number().int().min(0).optional(),
  execution_id: text().max(200).optional(),
  agent_id: text().max(200).optional(),
  source: text().max(50).default("api"),
  fast: z.boolean().optional(),
  is_error: z.boolean().optional(),
  tool_calls: z.array(text().max(200)).max(1000).optional(),
});
export type UsageEventInput = z.input<typeof usageEventInput>;

/** Claude Code transcript import: what was read, and the totals of the sessions it touched. */
export const tokenTotals = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_write_5m_tokens: z.number(),
  cache_write_1h_tokens: z.number(),
  cache_read_tokens: z.number(),
  total_tokens: z.number(),
  cost_usd: z.number(),
});
export type TokenTotals = z.infer<typeof tokenTotals>;
export const transcriptImportResult = z.object({
  lines: z.number().int(),
  usage_lines: z.number().int(),
  responses: z.number().int(),
  skipped: z.object({ malformed: z.number().int(), synthetic: z.number().int(), invalid: z.number().int() }),
  stored: z.number().int(),
  /** Bytes consumed: up to the last complete line. Send the rest again with `offset` next time. */
  next_offset: z.number().int(),
  sessions: z.array(tokenTotals.extend({ session_id: z.string(), responses: z.number().int() })),
});
export type TranscriptImportResult = z.infer<typeof transcriptImportResult>;

export const snapshotCreateInput = z.object({
  session_id: text().min(1).max(200),
  workspace: text().min(1).max(4096),
  /** Only these paths (relative to the workspace), on top of the session's previous snapshot. */
  files: z.array(text().min(1).max(4096)).max(10_000).optional(),
  message: text().max(1000).optional(),
});
export const snapshotFile = z.object({ path: z.string(), mode: z.string(), oid: z.string(), size: z.number().int() });
export const snapshotManifest = z.object({
  snapshot_id: z.string(),
  session_id: z.string(),
  parent_id: z.string().nullable(),
  commit: z.string(),
  tree: z.string(),
  ref: z.string(),
  workspace: z.string(),
  file_count: z.number().int(),
  total_bytes: z.number().int(),
  created_at: z.string(),
  files: z.array(snapshotFile),
});
export type SnapshotManifest = z.infer<typeof snapshotManifest>;
export const snapshotDiffQuery = z.object({ against: text().max(200).optional() });
export const snapshotDiff = z.object({
  from: z.string().nullable(),
  to: z.string(),
  files_changed: z.number().int(),
  lines_added: z.number().int(),
  lines_removed: z.number().int(),
  files: z.array(
    z.object({ path: z.string(), status: z.string(), added: z.number().int().nullable(), removed: z.number().int().nullable() }),
  ),
});
export type SnapshotDiff = z.infer<typeof snapshotDiff>;

const modelTotals = tokenTotals.extend({ model: z.string(), calls: z.number().int() });
export const sessionMetrics = z.object({
  session_id: z.string(),
  /** The seed's three figures. */
  tokens: z.number(),
  files: z.number().int(),
  duration: z.number(),
  usage: tokenTotals,
  models: z.array(modelTotals),
  tool_calls: z.record(z.string(), z.number().int()),
  errors: z.number().int(),
  log_lines: z.number().int(),
  files_changed: z.number().int(),
  lines_added: z.number().int(),
  lines_removed: z.number().int(),
  snapshots: z.number().int(),
  /** Why files_changed and the line counts are 0 although the session has snapshots (their repository is gone). */
  code_changes_unavailable: z.string().optional(),
  wall_time_s: z.number(),
  active_time_s: z.number(),
  first_event_at: z.string().nullable(),
  last_event_at: z.string().nullable(),
  price_versions: z.array(z.string()),
  /** Models the price table does not know: their tokens count, their cost is missing from cost_usd. */
  unpriced_models: z.array(z.string()),
  turns: z.array(
    tokenTotals.extend({
      timestamp: z.string(),
      model: z.string(),
      source: z.string(),
      latency_ms: z.number().nullable(),
      tools: z.array(z.string()),
    }),
  ),
  turns_truncated: z.boolean(),
});
export type SessionMetrics = z.infer<typeof sessionMetrics>;

export const dashboardQuery = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  top: z.coerce.number().int().min(1).max(100).default(10),
});
export const dashboard = z.object({
  organization_id: z.string(),
  since: z.string(),
  until: z.string(),
  sessions: z.number().int(),
  usage: tokenTotals,
  log_lines: z.number().int(),
  errors: z.number().int(),
  error_rate: z.number(),
  per_day: z.array(tokenTotals.extend({ day: z.string(), sessions: z.number().int() })),
  per_model: z.array(modelTotals),
  top_agents_by_cost: z.array(z.object({ agent_id: z.string(), cost_usd: z.number(), sessions: z.number().int() })),
  top_agents_by_failures: z.array(z.object({ agent_id: z.string(), failures: z.number().int() })),
});
export type Dashboard = z.infer<typeof dashboard>;

/** Recompute stored costs with the current price table (rows priced with another version, or unpriced). */
export const costRecomputeInput = z.object({
  session_id: text().min(1).max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** Also rows already priced with the current version (after a correction of the table itself). */
  all: z.boolean().optional(),
});
export const costRecomputeResult = z.object({
  price_version: z.string(),
  /** Usage rows looked at; costs reported by their sender are never replaced. */
  examined: z.number().int(),
  updated: z.number().int(),
  /** Rows whose model the table still does not know (their tokens count, their cost stays missing). */
  unpriced: z.number().int(),
  unpriced_models: z.array(z.string()),
  cost_before_usd: z.number(),
  cost_after_usd: z.number(),
});
export type CostRecomputeResult = z.infer<typeof costRecomputeResult>;

export const retentionResult = z.object({ deleted: z.number().int(), batches: z.number().int(), before: z.string() });
