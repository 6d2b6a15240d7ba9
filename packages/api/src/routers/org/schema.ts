import { ROLES } from "@kayos/db/roles";
import { z } from "zod";

export const updateOrgInput = z.object({ name: z.string().trim().min(1, "is required").max(100) });
export const inviteInput = z.object({ email: z.email().transform((e) => e.toLowerCase()), role: z.enum(ROLES) });
export const changeRoleInput = z.object({ userId: z.string(), role: z.enum(ROLES) });

/** The code an invitee received (kinv_…); surrounding spaces from copy and paste are dropped. */
export const invitationToken = z.string().trim().min(1, "Enter the invitation code");
export const invitationTokenInput = z.object({ token: invitationToken });

/** What the invite page shows before anyone accepts: never the code, never other members. */
export const invitationPreview = z.object({
  organizationName: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  expiresAt: z.date(),
  invitedBy: z.string().nullable(),
  /** Whether the invited email already has an account, so the page asks to sign in instead. */
  hasAccount: z.boolean(),
});

export const acceptAsNewUserInput = z.object({
  token: invitationToken,
  name: z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters"),
  // Same length rule as the Command Center's end users.
  password: z.string().min(10, "Use at least 10 characters").max(200, "Use at most 200 characters"),
});

/** Enough for the page to sign the new account in and switch to the organization. */
export const acceptedAsNewUser = z.object({ organizationId: z.string(), role: z.enum(ROLES), email: z.string() });
