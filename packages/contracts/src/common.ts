import { z } from "zod";

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
