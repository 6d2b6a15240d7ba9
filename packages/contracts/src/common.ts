import { z } from "zod";

// A NUL cannot be stored by PostgreSQL (text or jsonb) nor passed in an argument, a path or an
// environment variable; an unpaired UTF-16 surrogate is not text (jsonb refuses it too).
const NOT_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const TEXT_MESSAGE = "must not contain a NUL character (\\u0000) or an unpaired surrogate";
// Most strings hold neither a NUL nor any surrogate: a plain class scan rules them out before the lookarounds.
const MAYBE_NOT_TEXT = /[\u0000\uD800-\uDFFF]/;
export const isText = (s: string) => !MAYBE_NOT_TEXT.test(s) || !NOT_TEXT.test(s);

/** A string that can be stored, used as a path and passed to a process. */
export const text = () => z.string().refine(isText, { message: TEXT_MESSAGE });

/** True when every key and string inside a JSON value is text (see `text`). */
export function isTextJson(value: unknown): boolean {
  if (typeof value === "string") return isText(value);
  if (Array.isArray(value)) return value.every(isTextJson);
  if (value && typeof value === "object") return Object.entries(value).every(([k, v]) => isText(k) && isTextJson(v));
  return true;
}

/** A JSON object stored as jsonb. */
export const textRecord = () => z.record(z.string(), z.unknown()).refine(isTextJson, { message: `keys and strings ${TEXT_MESSAGE}` });

/** Standard, padded base64 (line breaks allowed): what Buffer.from would otherwise decode silently in part. */
export const isBase64 = (s: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s.replace(/\s/g, ""));

export const SERVICE_NAMES = ["nexus", "smith", "observer"] as const;
export const serviceName = z.enum(SERVICE_NAMES);
export type ServiceName = z.infer<typeof serviceName>;

/** Every 4xx/5xx body of the agent services. `issues` lists each invalid field. */
export const errorBody = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const healthBody = z.object({
  status: z.literal("healthy"),
  service: serviceName,
  version: z.string(),
  uptime_s: z.number(),
  /** Service-specific state worth seeing at a glance (e.g. smith's session keeper mode). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HealthBody = z.infer<typeof healthBody>;

/** Who an API key belongs to: the organization every call with it is scoped to. */
export const whoamiBody = z.object({
  service: serviceName,
  organization_id: z.string(),
  key_name: z.string(),
});
export type WhoamiBody = z.infer<typeof whoamiBody>;
