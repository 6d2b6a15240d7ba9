import { ROLES } from "@kayos/db/roles";
import { z } from "zod";

export const updateOrgInput = z.object({ name: z.string().trim().min(1, "is required").max(100) });
export const inviteInput = z.object({ email: z.email().transform((e) => e.toLowerCase()), role: z.enum(ROLES) });
export const changeRoleInput = z.object({ userId: z.string(), role: z.enum(ROLES) });
