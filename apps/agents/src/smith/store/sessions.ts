// smith_sessions access. Every caller-facing lookup filters by organization.
import type { SmithSession as SessionBody } from "@kayos/contracts";
import { smithAgentResult, smithKeeperMode, smithWorktree } from "@kayos/contracts";
import type { AgentsDb, Prisma, SmithSession } from "@kayos/db/agents";

export type SessionRow = SmithSession;
export type SessionUpdate = Prisma.SmithSessionUpdateInput;

export class SessionStore {
  constructor(private readonly db: AgentsDb) {}

  create(data: Prisma.SmithSessionUncheckedCreateInput) {
    return this.db.smithSession.create({ data });
  }

  update(id: string, data: SessionUpdate) {
    return this.db.smithSession.update({ where: { id }, data });
  }

  /** The session when it belongs to the organization; null otherwise (callers answer 404). */
  findForOrg(organizationId: string, id: string) {
    return this.db.smithSession.findFirst({ where: { id, organizationId } });
  }

  listForOrg(organizationId: string) {
    return this.db.smithSession.findMany({ where: { organizationId }, orderBy: { createdAt: "desc" }, take: 500 });
  }

  /** Sessions some Smith left running (re-adopted or marked lost at start-up). */
  unfinished() {
    return this.db.smithSession.findMany({ where: { status: { in: ["starting", "running"] } } });
  }

  /** Finds a Claude Code run by its Smith id or its Claude session id, within the organization. */
  findAgentRun(organizationId: string, ref: string) {
    return this.db.smithSession.findFirst({
      where: { organizationId, agentType: "claude_code", OR: [{ id: ref }, { agentSessionId: ref }] },
      orderBy: { createdAt: "desc" },
    });
  }
}

export function sessionBody(row: SessionRow, liveBytes?: number): SessionBody {
  const result = smithAgentResult.safeParse(row.agentResult);
  const worktree = smithWorktree.safeParse((row.settings as { worktree?: unknown } | null)?.worktree);
  return {
    id: row.id,
    workspace: row.workspace,
    agent_type: row.agentType,
    command: row.command,
    status: row.status,
    mode: smithKeeperMode.catch("pty").parse(row.mode),
    exit_code: row.exitCode,
    end_reason: row.endReason,
    cols: row.cols,
    rows: row.rows,
    output_bytes: liveBytes ?? Number(row.outputBytes),
    agent_session_id: row.agentSessionId,
    agent_result: result.success ? result.data : null,
    // The schema keeps name, branch and base commit; the host paths stay out of the answer.
    worktree: worktree.success ? worktree.data : null,
    created_at: row.createdAt.toISOString(),
    ended_at: row.endedAt?.toISOString() ?? null,
  };
}
