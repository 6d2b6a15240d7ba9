import { z } from "zod";

// Messages name the field as the page labels it, so they read on their own in an alert too.
const slug = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    // The pattern accepts "" so an empty value gets the one "is required" message.
    .max(40, `${label} must be at most 40 characters`)
    .regex(/^([a-z0-9][a-z0-9-]*)?$/, `${label} must use lowercase letters, digits and '-' (like acme)`);
const hex = (label: string) => z.string().regex(/^#[0-9a-fA-F]{6}$/, `${label} colour must be a colour like #4f46e5`);
const LOGO_URL = "Logo URL must be an http(s) address like https://example.com/logo.png (or a data:image/…;base64 URL)";
/** The deployed app's own rule for branding.logo_url (apps/command-center/src/config/schema.ts), checked here before saving. */
const logoUrl = z
  .string()
  .trim()
  .max(500_000, LOGO_URL)
  .refine((v) => v === "" || /^https?:\/\/[^\s]+$/.test(v) || /^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=]+$/.test(v), LOGO_URL);

/** What the builder customizes; the Command Center's `config/agents.json` is generated from it. */
export const commandCenterSettings = z
  .object({
    productName: z.string().trim().min(1, "Product name is required").max(80, "Product name must be at most 80 characters").default("Command Center"),
    logoUrl: logoUrl.default(""),
    colors: z
      .object({ primary: hex("Primary").default("#4f46e5"), background: hex("Background").default("#f6f7f9"), text: hex("Text").default("#16181d") })
      .prefault({}),
    /** The agents offered, each pinned to one of its published versions. */
    agents: z
      .array(z.object({ agentId: z.string().min(1), version: z.number().int().min(1, "Pick a published version") }))
      .max(50, "Offer at most 50 agents")
      .default([]),
    tenants: z
      .array(
        z.object({
          id: slug("Tenant id"),
          name: z.string().trim().min(1, "Tenant name is required").max(80, "Tenant name must be at most 80 characters"),
          agentIds: z.array(z.string()).default([]),
        }),
      )
      .max(100, "Add at most 100 tenants")
      .default([]),
    /** Where on the server: a folder (relative to the SSH user's home, or absolute) and a port. */
    root: z
      .string()
      .trim()
      .min(1, "Folder on the server is required")
      .max(200, "Folder on the server must be at most 200 characters")
      .regex(/^[\w./~-]*$/, "Folder on the server must be a path of letters, digits, '.', '_', '-', '/' and '~'")
      .default("kayos-command-center"),
    port: z
      .number({ error: "Port must be a whole number from 1024 to 65535" })
      .int("Port must be a whole number from 1024 to 65535")
      .min(1024, "Port must be a whole number from 1024 to 65535")
      .max(65535, "Port must be a whole number from 1024 to 65535")
      .default(3400),
  })
  .superRefine((s, ctx) => {
    const offered = new Set(s.agents.map((a) => a.agentId));
    if (offered.size !== s.agents.length) ctx.addIssue({ code: "custom", path: ["agents"], message: "An agent is listed twice" });
    const ids = new Set<string>();
    s.tenants.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: "custom", path: ["tenants", i, "id"], message: `Tenant id ${t.id} is used twice` });
      ids.add(t.id);
      t.agentIds.forEach((a, j) => {
        if (!offered.has(a)) ctx.addIssue({ code: "custom", path: ["tenants", i, "agentIds", j], message: "This agent is not offered by the Command Center" });
      });
    });
  });
export type CommandCenterSettings = z.infer<typeof commandCenterSettings>;

export const updateSettingsInput = z.object({ settings: commandCenterSettings, serverId: z.string().nullish() });

export const endUserInput = z.object({
  email: z.email("End user email must be an email address like ann@example.com").trim().toLowerCase(),
  name: z.string().trim().min(1, "End user name is required").max(80, "End user name must be at most 80 characters"),
  tenant: slug("Tenant"),
  /** Required for a new user; leave empty to keep the current password. */
  password: z.string().min(10, "Initial password must be at least 10 characters").max(200, "Initial password must be at most 200 characters").optional(),
});

export const deployInput = z.object({ serverId: z.string().optional() });
export const rollbackInput = z.object({ to: z.string().regex(/^[\w.-]+$/).optional() });
