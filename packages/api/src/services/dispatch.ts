// The seed's routing: conversational and planning agent types run on Nexus, code execution on Smith,
// on the agent's customer server (or the organization's default). The run row records what served it,
// and where.
import { serviceForAgentType, type AgentType, type ExecutionView, type SmithSession } from "@kayos/contracts";
import type { ControlDb, Prisma, RunStatus } from "@kayos/db/control";
import { clientsForServer } from "../clients/for-server";
import { nexusApi } from "../clients/nexus";
import { smithApi } from "../clients/smith";
import { AppError } from "../errors";
import { endRunsOfServer } from "./server-runs";
import { defaultServer } from "./servers";

export interface DispatchRequest {
  organizationId: string;
  userId: string;
  agentType: AgentType;
  config: Record<string, unknown>;
  prompt?: string;
  agentId?: string | null;
  agentVersionId?: string | null;
  serverId?: string | null;
  /** Nexus: continue this conversation (its stored history). */
  conversationId?: string | null;
  /** Smith `claude_code`: continue the Claude Code session of this earlier Smith session. */
  resume?: string | null;
}

export interface DispatchContext {
  db: ControlDb;
  config: { encryptionKey: string; serviceTimeoutMs: number };
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);
const num = (v: unknown) => (typeof v === "number" ? v : undefined);

export async function serverFor(ctx: DispatchContext, organizationId: string, serverId?: string | null) {
  if (!serverId) return defaultServer(ctx.db, organizationId);
  const server = await ctx.db.customerServer.findFirst({ where: { id: serverId, organizationId } });
  if (!server) throw new AppError("NOT_FOUND", `The agent's server ${serverId} no longer exists; pick another in the agent's settings`);
  return server;
}

export function clientsFor(ctx: DispatchContext, server: Parameters<typeof clientsForServer>[0]) {
  return clientsForServer(server, ctx.config.encryptionKey, { timeoutMs: ctx.config.serviceTimeoutMs });
}

/** What locates a run: the server recorded when it started (none: runs stored without one, on the default). */
export type RunPlace = { organizationId: string; serverId: string | null };

export const SERVER_DELETED = "The server this run was started on has been deleted";

/**
 * The server a run was started on, wherever its agent is set to run now; null once that server is
 * deleted (its services can no longer be asked about the run).
 */
export async function serverOfRun(ctx: DispatchContext, run: RunPlace) {
  if (run.serverId === null) return defaultServer(ctx.db, run.organizationId);
  return ctx.db.customerServer.findFirst({ where: { id: run.serverId, organizationId: run.organizationId } });
}

/**
 * Stops a started run on its service. A stopped run is over: on Smith its program and everything it
 * started end, not just the foreground command.
 */
export async function stopOnService(clients: ReturnType<typeof clientsFor>, run: { service: string; externalId: string }) {
  if (run.service === "nexus") await nexusApi(clients.nexus).stop(run.externalId);
  else await smithApi(clients.smith).end(run.externalId);
}

/** The clients of the server a run was started on (NOT_FOUND once that server is deleted). */
export async function clientsOfRun(ctx: DispatchContext, run: RunPlace) {
  const server = await serverOfRun(ctx, run);
  if (!server) throw new AppError("NOT_FOUND", SERVER_DELETED);
  return clientsFor(ctx, server);
}

export async function dispatchRun(ctx: DispatchContext, req: DispatchRequest) {
  const service = serviceForAgentType(req.agentType);
  const server = await serverFor(ctx, req.organizationId, req.serverId);
  const clients = clientsFor(ctx, server);
  const prompt = req.prompt ?? str(req.config.prompt);
  let externalId: string;
  let status: RunStatus;
  let conversationId: string | null = null;
  if (service === "nexus") {
    // A saved agent's system prompt, over the context a caller sent with an ad-hoc run.
    const system = str(req.config.system);
    const given = req.config.context && typeof req.config.context === "object" && !Array.isArray(req.config.context) ? (req.config.context as Record<string, unknown>) : {};
    const context = { ...given, ...(system ? { system } : {}) };
    const started = await nexusApi(clients.nexus).execute({
      agent_type: req.agentType,
      prompt,
      model: str(req.config.model),
      max_tokens: num(req.config.max_tokens),
      definition_id: str(req.config.definition_id),
      ...(req.conversationId ? { conversation_id: req.conversationId } : {}),
      ...(Object.keys(context).length > 0 ? { context } : {}),
    });
    externalId = started.id;
    status = started.status;
    conversationId = started.conversation_id;
  } else {
    const session = await smithApi(clients.smith).create({
      workspace: str(req.config.workspace) ?? "default",
      agent_type: req.agentType,
      command: str(req.config.command),
      prompt,
      ...(req.resume ? { resume: req.resume } : {}),
      ...(req.config.approvals === "ask" ? { approvals: "ask" as const } : {}),
      ...(req.config.isolation === "worktree" ? { worktree: true } : {}),
    });
    externalId = session.id;
    status = runStatusOfSession(session);
  }
  const run = await ctx.db.agentRun.create({
    data: {
      organizationId: req.organizationId,
      agentId: req.agentId ?? null,
      agentVersionId: req.agentVersionId ?? null,
      agentType: req.agentType,
      service,
      serverId: server.id,
      externalId,
      status,
      input: { prompt: prompt ?? null, config: req.config } as Prisma.InputJsonObject,
      createdById: req.userId,
      startedAt: new Date(),
    },
  });
  // servers.remove marks the server's unfinished runs stopped as it deletes it, then stops them there:
  // a run recorded after that (it started while the server was being removed) is ended here, with the
  // server's record in hand.
  if (!(await ctx.db.customerServer.findFirst({ where: { id: server.id }, select: { id: true } }))) {
    await endRunsOfServer(ctx, server);
    return { run: await ctx.db.agentRun.findUniqueOrThrow({ where: { id: run.id } }), conversationId };
  }
  return { run, conversationId };
}

export function runStatusOfSession(session: Pick<SmithSession, "status" | "exit_code">): RunStatus {
  switch (session.status) {
    case "starting":
    case "running":
      return "running";
    case "exited":
      return session.exit_code === 0 ? "succeeded" : "failed";
    case "killed":
      return "stopped";
    default:
      return "failed";
  }
}

export const runStatusOfExecution = (execution: Pick<ExecutionView, "status">): RunStatus => execution.status;
