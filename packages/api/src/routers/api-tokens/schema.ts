import { ACTIONS } from "@kayos/db/roles";
import { z } from "zod";

const EXPIRY = "Expiry must be a whole number of days from 1 to 365";

export const createApiTokenInput = z.object({
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required: give the token a name").max(80, "Name must be at most 80 characters"),
  scopes: z.array(z.enum(ACTIONS, { error: `Scopes must be among ${ACTIONS.join(", ")}` })).min(1, "Pick at least one scope"),
  expiresInDays: z.number({ error: EXPIRY }).int(EXPIRY).min(1, EXPIRY).max(365, EXPIRY).default(90),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;
