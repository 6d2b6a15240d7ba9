// Talking to a running Claude Code conversation: follow-up messages, permission decisions, ending it.
// The agent's side (its events) is read from the output; this side goes through its input pipe.
import type { SmithApproval, SmithApprovalDecision } from "@kayos/contracts";
import { HttpError } from "../../shared/errors";
import { approvalsOf } from "./agent-input";
import type { LiveSession } from "./live-session";
import type { SessionManager } from "./session-manager";

export class Conversations {
  constructor(private readonly sessions: SessionManager) {}

  async message(organizationId: string, id: string, text: string) {
    const { live, input } = await this.conversation(organizationId, id);
    await input.message(text);
    live.awaitingInput = false;
    return this.state(live, await this.approvals(organizationId, id));
  }

  async approvals(organizationId: string, id: string) {
    return approvalsOf(await this.sessions.agentEvents(organizationId, id), this.sessions.sessionDir(id));
  }

  async decide(organizationId: string, id: string, requestId: string, decision: SmithApprovalDecision) {
    const { live, input } = await this.conversation(organizationId, id);
    const events = await this.sessions.agentEvents(organizationId, id);
    const request = events.find((e) => e.type === "permission_request" && e.request_id === requestId);
    if (request?.type !== "permission_request") throw new HttpError(404, `Session ${id} has no permission request ${requestId}`);
    const earlier = approvalsOf(events, this.sessions.sessionDir(id)).find((a) => a.request_id === requestId)?.decision;
    if (earlier) throw new HttpError(409, `Permission request ${requestId} was already decided (${earlier})`);
    // No await between this check and input.decide recording the decision: a second answer sees it.
    await input.decide(request, decision);
    // The decisions file now holds this one; the events read above are still all there are.
    const after = approvalsOf(events, this.sessions.sessionDir(id));
    // The agent goes on unless it still waits for other decisions.
    if (after.every((a) => a.decision !== null)) live.awaitingInput = false;
    return this.state(live, after);
  }

  /** The agent finishes what it was given and exits (the session ends as the agent's result says). */
  async end(organizationId: string, id: string) {
    const { live, input } = await this.conversation(organizationId, id);
    await input.end();
    live.awaitingInput = false;
    return this.state(live, await this.approvals(organizationId, id));
  }

  private async conversation(organizationId: string, id: string) {
    const live = await this.sessions.requireLive(organizationId, id);
    if (!live.input) {
      throw new HttpError(409, `Session ${id} is not a conversation; create a claude_code session with a prompt and conversation: true (or approvals: ask)`);
    }
    live.lastInput = Date.now();
    return { live, input: live.input };
  }

  private state(live: LiveSession, approvals: SmithApproval[]) {
    return { awaiting_input: live.awaitingInput, pending_approvals: approvals.filter((a) => a.decision === null).length };
  }
}
