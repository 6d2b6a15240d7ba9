// From the builder's settings to the Command Center's `config/agents.json` (validated with the
// template's own schema) and its secrets file. Agent configs come from the pinned published versions.
import { commandCenterConfig, commandCenterSecrets, type CommandCenterConfig } from "@kayos/command-center/config/schema";
import type { ControlDb, CustomerServer } from "@kayos/db/control";
import { decryptSecret } from "@kayos/db/secrets";
import { AppError } from "../../errors";
import type { CommandCenterSettings } from "../../routers/command-center/schema";

const NEXUS_TYPES = new Set(["claude-conversational", "planner", "complete-planner"]);

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "agent";

/** Whether end users can be given this agent type: terminal agents (Smith) cannot. */
export const isOfferable = (agentType: string) => NEXUS_TYPES.has(agentType) || agentType === "kaygraph";

/** One offered agent as the Command Center runs it: through Nexus, by its adapter. */
function adapterFor(name: string, agentType: string, config: Record<string, unknown>): Pick<CommandCenterConfig["agents"][number], "adapter" | "config"> {
  if (!isOfferable(agentType)) {
    throw new AppError(
      "BAD_REQUEST",
      `"${name}" is a ${agentType} agent: ${agentType} agents run in a terminal on the server and cannot be offered to end users; remove it from the agents offered`,
    );
  }
  if (NEXUS_TYPES.has(agentType)) {
    const { model, system, max_tokens } = config;
    return { adapter: "nexus", config: { agent_type: agentType, model, system, max_tokens } };
  }
  return { adapter: "kaygraph", config: { definition_id: config.definition_id } };
}

export async function generateConfig(db: ControlDb, organizationId: string, settings: CommandCenterSettings, server: Pick<CustomerServer, "nexusUrl">) {
  const versions = await Promise.all(
    settings.agents.map(async ({ agentId, version }) => {
      const row = await db.agentVersion.findFirst({ where: { agentId, version, organizationId } });
      if (!row) throw new AppError("BAD_REQUEST", `Agent ${agentId} has no published version ${version}; publish it or pick another version`);
      return row;
    }),
  );
  const slugs = new Map<string, string>();
  const agents = versions.map((v) => {
    let slug = slugOf(v.name);
    for (let n = 2; [...slugs.values()].includes(slug); n++) slug = `${slugOf(v.name).slice(0, 36)}-${n}`;
    slugs.set(v.agentId, slug);
    return { id: slug, name: v.name, description: v.description || undefined, type: v.agentType, version: v.version, ...adapterFor(v.name, v.agentType, v.config as Record<string, unknown>) };
  });
  const config = {
    version: 1,
    branding: {
      product_name: settings.productName,
      ...(settings.logoUrl ? { logo_url: settings.logoUrl } : {}),
      colors: settings.colors,
    },
    services: { nexus_url: server.nexusUrl },
    agents,
    tenants: settings.tenants.map((t) => ({ id: t.id, name: t.name, agents: t.agentIds.map((id) => slugs.get(id)!).filter(Boolean) })),
  };
  const parsed = commandCenterConfig.safeParse(config);
  if (!parsed.success) {
    throw new AppError("BAD_REQUEST", `The generated config is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return { config: parsed.data, agentVersions: versions.map((v) => ({ agentId: v.agentId, name: v.name, version: v.version })) };
}

/** The secrets file: written to the server over SFTP with mode 0600, never part of the bundle. */
export async function generateSecrets(
  db: ControlDb,
  organizationId: string,
  opts: { sessionSecretCiphertext: string; server: Pick<CustomerServer, "apiKeyCiphertext">; encryptionKey: string },
) {
  const users = await db.commandCenterUser.findMany({ where: { organizationId }, orderBy: { email: "asc" } });
  return JSON.stringify(
    commandCenterSecrets.parse({
      session_secret: decryptSecret(opts.sessionSecretCiphertext, opts.encryptionKey),
      nexus_api_key: decryptSecret(opts.server.apiKeyCiphertext, opts.encryptionKey),
      users: users.map((u) => ({ email: u.email, name: u.name, tenant: u.tenant, password_hash: u.passwordHash })),
    }),
  );
}
