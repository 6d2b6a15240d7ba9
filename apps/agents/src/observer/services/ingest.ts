// Turns an ingest body (one entry, an array, or {entries}) into rows to store and per-entry results.
import { INGEST_MAX_ENTRIES, isText, isTextJson, type IngestResult, type LogEntryInput } from "@kayos/contracts";
import type { z } from "zod";
import { HttpError } from "../../shared/errors";

type Issue = { path: string; message: string };

/** The entries of a single, array or `{[key]: [...]}` body; refuses other shapes and oversized batches. */
export function entriesOf(body: unknown, key: string): unknown[] {
  let items: unknown[];
  if (body && typeof body === "object" && !Array.isArray(body) && key in body && !Array.isArray((body as Record<string, unknown>)[key])) {
    throw new HttpError(400, `Invalid body: "${key}" must be an array`);
  }
  if (Array.isArray(body)) items = body;
  else if (body && typeof body === "object" && Array.isArray((body as Record<string, unknown>)[key])) {
    items = (body as Record<string, unknown[]>)[key]!;
  } else if (body && typeof body === "object") items = [body];
  else throw new HttpError(400, `Invalid body: expected a JSON object, an array of objects, or {"${key}": [...]}`);
  if (items.length === 0) throw new HttpError(400, "Invalid body: the batch is empty");
  if (items.length > INGEST_MAX_ENTRIES) {
    throw new HttpError(413, `Batch of ${items.length} entries is over the limit of ${INGEST_MAX_ENTRIES}; split it`);
  }
  return items;
}

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const str = (v: unknown, min: number, max: number) => typeof v === "string" && v.length >= min && v.length <= max && isText(v);

/**
 * The hot path of log ingest: accepts only entries that logEntryInput certainly accepts (a strict
 * subset of its rules), so anything else — including every invalid entry — goes through zod.
 */
export function plainLogEntry(v: unknown): v is LogEntryInput {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  for (const k in e) if (!KNOWN.has(k)) return false;
  return (
    str(e.session_id, 1, 200) &&
    str(e.log_line, 0, 64 * 1024) &&
    typeof e.timestamp === "string" &&
    ISO.test(e.timestamp) &&
    (e.level === undefined || LEVELS.has(e.level as string)) &&
    (e.source === undefined || str(e.source, 0, 100)) &&
    (e.event_id === undefined || str(e.event_id, 1, 200)) &&
    (e.attributes === undefined || (typeof e.attributes === "object" && e.attributes !== null && !Array.isArray(e.attributes) && Object.getPrototypeOf(e.attributes) === Object.prototype && isTextJson(e.attributes)))
  );
}
const KNOWN = new Set(["session_id", "log_line", "timestamp", "level", "source", "attributes", "event_id"]);

/** Validates each item; a timestamp must also be a real instant. */
export function validateEach<S extends z.ZodType>(
  items: unknown[],
  schema: S,
  timestampOf: (v: z.infer<S>) => string,
  fast?: (v: unknown) => boolean,
) {
  const valid: { index: number; value: z.infer<S>; at: Date }[] = [];
  const invalid: { index: number; errors: Issue[] }[] = [];
  items.forEach((item, index) => {
    const parsed = fast?.(item) ? { success: true as const, data: item as z.infer<S> } : schema.safeParse(item);
    if (!parsed.success) {
      invalid.push({
        index,
        errors: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(entry)", message: i.message })),
      });
      return;
    }
    const stamp = timestampOf(parsed.data);
    const at = new Date(stamp);
    if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1970 || at.getUTCFullYear() > 9999 || !realCalendarTime(stamp)) {
      invalid.push({ index, errors: [{ path: "timestamp", message: "is not a real date and time" }] });
      return;
    }
    valid.push({ index, value: parsed.data, at });
  });
  return { valid, invalid };
}

/** Date.parse rolls 2025-02-30 over to March 2 and 24:00 to the next day; a stamp must name a real day and time. */
function realCalendarTime(stamp: string): boolean {
  const [y, mo, d, h, mi, sec] = [0, 5, 8, 11, 14, 17].map((at) => Number(stamp.slice(at, at + (at === 0 ? 4 : 2))));
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  return day.getUTCMonth() === mo! - 1 && day.getUTCDate() === d && h! < 24 && mi! < 60 && sec! < 60;
}

export function summarize(
  total: number,
  invalid: { index: number; errors: Issue[] }[],
  kept: { index: number; eventId?: string; status: "stored" | "updated" | "duplicate" }[],
): IngestResult {
  const results: IngestResult["results"] = new Array(total);
  for (const i of invalid) results[i.index] = { index: i.index, status: "invalid", errors: i.errors };
  const count = { stored: 0, updated: 0, duplicate: 0 };
  for (const k of kept) {
    count[k.status]++;
    results[k.index] = { index: k.index, status: k.status, ...(k.eventId ? { event_id: k.eventId } : {}) };
  }
  return {
    accepted: kept.length,
    stored: count.stored,
    ...(count.updated > 0 ? { updated: count.updated } : {}),
    duplicates: count.duplicate,
    rejected: invalid.length,
    results,
  };
}
