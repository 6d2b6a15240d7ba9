import { ACTIONS } from "@kayos/db/roles";
import { z } from "zod";

export const createApiTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(80),
  scopes: z.array(z.enum(ACTIONS)).min(1, "Pick at least one scope"),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;
