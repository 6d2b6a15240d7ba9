// The two files a deployed Command Center reads: config/agents.json (written by the control plane
// from the builder's settings) and the secrets file (users, keys). The control plane imports this
// module to generate and validate both, so it only imports zod and the adapters' config schemas.
import { z } from "zod";
import { ADAPTER_NAMES, adapters, type AdapterName } from "../adapters/index";

export const slug = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "use lowercase letters, digits and '-' (a slug)");
const hexColour = z.string().regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, "use a hex colour like #4f46e5");
const logoUrl = z
  .string()
  .max(500_000)
  .refine((v) => /^https?:\/\/[^\s]+$/.test(v) || /^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=]+$/.test(v), "use an http(s) URL or a data:image/...;base64 URL");

export const agentEntry = z.object({
  id: slug,
  name: z.string().min(1).max(120),
  description: z.string().max(2000).optional(),
  /** The agent type in the control plane ("claude-conversational", "planner", "kaygraph", "http", "deepagent", ...). */
  type: z.string().min(1).max(100),
  adapter: z.enum(ADAPTER_NAMES as [AdapterName, ...AdapterName[]]),
  /** The published agent version the control plane pinned. */
  version: z.number().int().min(1).optional(),
  /** Adapter-specific; checked by the adapter's own schema below. */
  config: z.record(z.string(), z.unknown()),
});
export type AgentEntry = z.infer<typeof agentEntry>;

export const tenantEntry = z.object({
  id: slug,
  name: z.string().min(1).max(120),
  agents: z.array(slug).max(200),
});

export const commandCenterConfig = z
  .object({
    version: z.literal(1),
    branding: z.object({
      product_name: z.string().min(1).max(80),
      logo_url: logoUrl.optional(),
      colors: z.object({ primary: hexColour, background: hexColour.optional(), text: hexColour.optional() }),
    }),
    services: z.object({ nexus_url: z.url({ protocol: /^https?$/ }).optional() }).default({}),
    agents: z.array(agentEntry).max(200),
    tenants: z.array(tenantEntry).max(1000),
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.agents.forEach((agent, i) => {
      if (ids.has(agent.id)) ctx.addIssue({ code: "custom", path: ["agents", i, "id"], message: `agent id "${agent.id}" is used twice` });
      ids.add(agent.id);
      const adapter = adapters[agent.adapter];
      const parsed = adapter.config.safeParse(agent.config);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["agents", i, "config", ...issue.path], message: issue.message });
      }
      if (adapter.needsNexus?.(agent.config) && !c.services.nexus_url) {
        ctx.addIssue({ code: "custom", path: ["services", "nexus_url"], message: `is required: agent "${agent.id}" runs through Nexus` });
      }
    });
    const tenantIds = new Set<string>();
    c.tenants.forEach((tenant, i) => {
      if (tenantIds.has(tenant.id)) ctx.addIssue({ code: "custom", path: ["tenants", i, "id"], message: `tenant id "${tenant.id}" is used twice` });
      tenantIds.add(tenant.id);
      tenant.agents.forEach((a, j) => {
        if (!ids.has(a)) ctx.addIssue({ code: "custom", path: ["tenants", i, "agents", j], message: `no agent with id "${a}" in agents` });
      });
    });
  });
export type CommandCenterConfig = z.infer<typeof commandCenterConfig>;

export const PASSWORD_HASH_FORMAT = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;

export const endUser = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().min(1).max(120),
  tenant: slug,
  password_hash: z.string().regex(PASSWORD_HASH_FORMAT, "use the format scrypt$N$r$p$saltBase64$hashBase64 (hashPassword() in auth/password.ts)"),
});
export type EndUser = z.infer<typeof endUser>;

export const commandCenterSecrets = z
  .object({
    session_secret: z.string().min(32, "must be at least 32 characters"),
    nexus_api_key: z.string().min(1).optional(),
    /** Named secrets agents refer to (http headers_secret, deepagent api_key_secret). */
    agent_secrets: z.record(z.string(), z.string()).default({}),
    users: z.array(endUser).max(100_000),
  })
  .superRefine((s, ctx) => {
    const emails = new Set<string>();
    s.users.forEach((u, i) => {
      if (emails.has(u.email)) ctx.addIssue({ code: "custom", path: ["users", i, "email"], message: `${u.email} is listed twice` });
      emails.add(u.email);
    });
  });
export type CommandCenterSecrets = z.infer<typeof commandCenterSecrets>;
