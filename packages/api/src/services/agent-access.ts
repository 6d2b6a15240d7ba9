// Per-agent grants on top of roles: "edit" lets a member change one agent their role could not,
// "use" lets them run it. Another organization's agent is NOT_FOUND, never FORBIDDEN.
import type { AgentPermission, ControlDb, Role } from "@kayos/db/control";
import { TRPCError } from "@trpc/server";
import type { Authorizer } from "../authz/enforcer";

type AccessContext = {
  db: ControlDb;
  authz: Authorizer;
  user: { id: string };
  org: { id: string; role: Role };
  token: { scopes: string[] } | null;
};

const lacksScope = (ctx: Pick<AccessContext, "token">, action: string) => {
  if (ctx.token && !ctx.token.scopes.includes(action)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `This API token lacks the "${action}" scope` });
  }
};

/** Running an agent given inline (no saved agent): the role must allow it, and an API token needs "execute". */
export async function assertMayRunAgents(ctx: Pick<AccessContext, "authz" | "org" | "token">) {
  lacksScope(ctx, "execute");
  if (!(await ctx.authz.can(ctx.org.role, ctx.org.id, "agents", "execute"))) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${ctx.org.role}) may not run agents` });
  }
}

export async function assertAgentAccess(
  ctx: AccessContext,
  agentId: string,
  permission: AgentPermission,
) {
  const agent = await ctx.db.agent.findFirst({ where: { id: agentId, organizationId: ctx.org.id } });
  if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: `No agent ${agentId} in this organization` });
  const action = permission === "edit" ? "write" : "execute";
  lacksScope(ctx, action);
  if (await ctx.authz.can(ctx.org.role, ctx.org.id, "agents", action)) return agent;
  const grant = await ctx.db.agentGrant.findFirst({ where: { agentId, userId: ctx.user.id, permission } });
  if (!grant) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `Your role (${ctx.org.role}) may not ${permission} this agent; ask an admin for a grant`,
    });
  }
  return agent;
}

/** What a run of the agent uses: its latest published version, or its draft when asked or never published. */
export async function runnableVersion(db: ControlDb, agent: { id: string; agentType: string; config: unknown }, useDraft = false) {
  const version = useDraft ? null : await db.agentVersion.findFirst({ where: { agentId: agent.id }, orderBy: { version: "desc" } });
  const source = version ?? agent;
  return { versionId: version?.id ?? null, agentType: source.agentType, config: source.config as Record<string, unknown> };
}
