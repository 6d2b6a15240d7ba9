import { z } from "zod";

/**
 * One log line for CodingObserver: the seed's `{session_id, log_line, timestamp}` plus optional
 * level, source, attributes and an event_id that makes a retried send idempotent.
 */
export const logEntryInput = z.object({
  session_id: z.string().min(1).max(200),
  log_line: z.string().max(64 * 1024),
  timestamp: z.iso.datetime({ offset: true }),
  level: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).optional(),
  source: z.string().max(100).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  event_id: z.string().min(1).max(200).optional(),
});
export type LogEntryInput = z.infer<typeof logEntryInput>;
