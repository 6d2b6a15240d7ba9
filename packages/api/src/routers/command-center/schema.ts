import { z } from "zod";

const slug = z
  .string()
  .trim()
  .min(1, "is required")
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and '-'");
const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #4f46e5");

/** What the builder customizes; the Command Center's `config/agents.json` is generated from it. */
export const commandCenterSettings = z
  .object({
    productName: z.string().trim().min(1, "Name the product").max(80).default("Command Center"),
    logoUrl: z.union([z.url("a URL (https://…)"), z.literal("")]).default(""),
    colors: z.object({ primary: hex.default("#4f46e5"), background: hex.default("#f6f7f9"), text: hex.default("#16181d") }).prefault({}),
    /** The agents offered, each pinned to one of its published versions. */
    agents: z.array(z.object({ agentId: z.string().min(1), version: z.number().int().min(1) })).max(50).default([]),
    tenants: z.array(z.object({ id: slug, name: z.string().trim().min(1, "Name the tenant").max(80), agentIds: z.array(z.string()).default([]) })).max(100).default([]),
    /** Where on the server: a folder (relative to the SSH user's home, or absolute) and a port. */
    root: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[\w./~-]+$/, "a path of letters, digits, '.', '_', '-', '/' and '~'")
      .default("kayos-command-center"),
    port: z.number().int().min(1024).max(65535).default(3400),
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
  email: z.email("an email address").trim().toLowerCase(),
  name: z.string().trim().min(1, "is required").max(80),
  tenant: slug,
  /** Required for a new user; leave empty to keep the current password. */
  password: z.string().min(10, "at least 10 characters").max(200).optional(),
});

export const deployInput = z.object({ serverId: z.string().optional() });
export const rollbackInput = z.object({ to: z.string().regex(/^[\w.-]+$/).optional() });
