// Starts, stops, answers and resumes executions. A run streams its events through the hub; its
// end is written to the row first and then announced with `done`, so whoever sees `done` reads the
// final row. A client going away never stops a run; only stop (or the service closing) does.
import type { ExecuteBody, ExecuteResponse, ExecutionView } from "@kayos/contracts";
import { TERMINAL_STATUSES } from "@kayos/contracts";
import { randomUUID } from "node:crypto";
import { HttpError } from "../../shared/errors";
import { agentTypeNames, findAgentType } from "../agent-types";
import type { ExecutionInput } from "../agent-types/types";
import { streamUrl, viewOf, type ExecutionRow } from "../store/executions";
import type { NexusDeps } from "./deps";
import { endElsewhere } from "./ending";
import { ENDED_ELSEWHERE, RECORD_FAILED, runLaunch, SHUTDOWN, STOP, type Launch } from "./run";
import { totalsOf, zeroTotals } from "./totals";

interface Active {
  organizationId: string;
  controller: AbortController;
  done: Promise<void>;
}

export const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, "")}`;

export class ExecutionRunner {
  private readonly active = new Map<string, Active>();
  /** Set by service.ts; close() stops it before the runs. */
  supervisor?: { stop(): Promise<void> };

  constructor(private readonly deps: NexusDeps) {}

  get running() {
    return this.active.size;
  }

  /**
   * Starts an execution and answers once its row is stored (never an id that reads would not find).
   * `promptField` names the field the prompt came in, for problems with it (default `prompt`).
   */
  async start(organizationId: string, body: ExecuteBody, opts: { promptField?: string } = {}): Promise<ExecuteResponse> {
    const { deps } = this;
    const type = findAgentType(body.agent_type);
    if (!type) {
      throw new HttpError(400, `Unknown agent_type "${body.agent_type}"; valid types: ${agentTypeNames().join(", ")}`, [
        { path: "body.agent_type", message: `must be one of ${agentTypeNames().join(", ")}` },
      ]);
    }
    const prompt = body.prompt ?? "";
    this.checkPrompt(prompt, body.context, type.requiresPrompt, opts.promptField ?? "prompt");
    let conversation: { id: string; system: string | null } | null = null;
    if (body.conversation_id) {
      if (type.name !== "claude-conversational") throw new HttpError(400, `conversation_id is for agent_type claude-conversational, not ${type.name}`);
      conversation = await deps.conversations.get(organizationId, body.conversation_id);
    }
    const prepared = (await type.prepare?.(organizationId, body, deps)) ?? {};
    const id = newId("exe");
    const newConversation = type.name === "claude-conversational" && !conversation;
    const conversationId = conversation?.id ?? (newConversation ? newId("conv") : null);
    const input: ExecutionInput = {
      prompt,
      context: body.context ?? {},
      model: body.model ?? deps.config.NEXUS_DEFAULT_MODEL,
      max_tokens: body.max_tokens ?? deps.config.NEXUS_MAX_TOKENS,
      input: body.input ?? {},
    };
    const row = { id, organizationId, agentType: type.name, conversationId, definitionId: prepared.definitionId ?? null, model: input.model, input };
    let ready: Promise<void>;
    if (conversation) {
      // A stored conversation takes one reply at a time (409 while one is being written, nothing
      // stored): the row is written, under the conversation's lock, before the run starts.
      await deps.executions.createTurn({ ...row, conversationId: conversation.id });
      ready = Promise.resolve();
    } else {
      // The rows are written while the model call starts: the first token does not wait for them.
      // Reads of this execution in this process wait for its row (see settled()).
      ready = Promise.all([
        deps.executions.create(row),
        newConversation ? deps.conversations.createForExecution(organizationId, conversationId!, type.name, titleOf(prompt)) : null,
      ]).then(() => undefined);
    }
    this.launch(
      {
        id,
        organizationId,
        type,
        conversationId,
        newConversation,
        definitionId: prepared.definitionId ?? null,
        input,
        resumed: false,
        baseSeq: 0,
        totals: zeroTotals(),
      },
      ready,
    );
    // Acknowledged once stored: a row PostgreSQL refused fails the request (its run was cut short),
    // instead of an id whose reads and stream answer 404.
    await ready;
    return { id, status: "running", stream_url: streamUrl(id), conversation_id: conversationId, offline: deps.offline };
  }

  /** Waits until a run of this process that was just started has its row. */
  private async settled(organizationId: string, id: string) {
    const live = this.deps.hub.get(id);
    if (live?.organizationId === organizationId) await live.ready.catch(() => undefined);
  }

  async view(organizationId: string, id: string): Promise<ExecutionView> {
    await this.settled(organizationId, id);
    return viewOf(await this.deps.executions.get(organizationId, id), this.deps.offline);
  }

  async stop(organizationId: string, id: string): Promise<ExecutionView> {
    await this.settled(organizationId, id);
    const row = await this.deps.executions.get(organizationId, id);
    if (TERMINAL_STATUSES.includes(row.status)) {
      throw new HttpError(409, `Execution ${id} already finished with status ${row.status}; nothing to stop`);
    }
    const active = this.active.get(id);
    if (active) {
      active.controller.abort(STOP);
      await Promise.race([active.done, sleep(10_000)]);
    } else {
      // Running in another process (a fresh heartbeat, not waiting for a human): that process
      // writes the closing events. Otherwise (waiting, or its process is gone) they are written here.
      const heartbeat = row.heartbeatAt?.getTime() ?? 0;
      const owned = !row.waitingFor && Date.now() - heartbeat < this.deps.config.NEXUS_TAKEOVER_AFTER_MS;
      await endElsewhere(this.deps, row, "stopped", null, owned);
    }
    return this.view(organizationId, id);
  }

  async answer(organizationId: string, id: string, value: unknown): Promise<ExecutionView> {
    const row = await this.deps.executions.get(organizationId, id);
    if (TERMINAL_STATUSES.includes(row.status)) throw new HttpError(409, `Execution ${id} already finished with status ${row.status}`);
    if (!row.waitingFor) throw new HttpError(409, `Execution ${id} is not waiting for an answer`);
    // The run that just asked may still be handing its events to the table.
    const asking = this.active.get(id);
    if (asking) await Promise.race([asking.done, sleep(5_000)]);
    if (this.active.has(id)) throw new HttpError(409, `Execution ${id} is not waiting for an answer`);
    // Once only, and claimed by this process again (the heartbeat keeps others from taking it over).
    if (!(await this.deps.executions.takeAnswer(id))) throw new HttpError(409, `Execution ${id} is not waiting for an answer`);
    await this.resume(row, { value });
    return this.view(organizationId, id);
  }

  /** Stops every run without ending it: the next process (or this one restarted) continues durable ones. */
  async close() {
    await this.supervisor?.stop();
    const ids = [...this.active.keys()];
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(SHUTDOWN);
    await Promise.race([Promise.allSettled(runs.map((r) => r.done)), sleep(10_000)]);
    await this.deps.events.drained();
    await this.deps.executions.release(ids).catch(() => undefined);
  }

  /** The prompt, and with it the context (counted as JSON: it goes to the model too), within NEXUS_MAX_PROMPT_CHARS. */
  private checkPrompt(prompt: string, context: Record<string, unknown> | undefined, required: boolean, field: string) {
    const limit = this.deps.config.NEXUS_MAX_PROMPT_CHARS;
    if (required && prompt.trim() === "") {
      throw new HttpError(400, `${field} is empty; send the text for the agent`, [{ path: `body.${field}`, message: "must not be empty" }]);
    }
    if (prompt.length > limit) {
      throw new HttpError(413, `${field} is ${prompt.length} characters; the limit is ${limit} (NEXUS_MAX_PROMPT_CHARS)`, [
        { path: `body.${field}`, message: `must be at most ${limit} characters` },
      ]);
    }
    const contextChars = context && Object.keys(context).length > 0 ? JSON.stringify(context).length : 0;
    if (prompt.length + contextChars > limit) {
      throw new HttpError(
        413,
        `${field} and context are ${prompt.length + contextChars} characters (context as JSON: ${contextChars}); the limit is ${limit} (NEXUS_MAX_PROMPT_CHARS)`,
        [{ path: "body.context", message: `as JSON, with the ${field}, must be at most ${limit} characters` }],
      );
    }
  }

  activeIds() {
    return [...this.active.keys()];
  }

  /** Another process ended this run (e.g. stopped it): let it go without writing anything. */
  letGo(id: string) {
    this.active.get(id)?.controller.abort(ENDED_ELSEWHERE);
  }

  async resume(row: ExecutionRow, answer?: { value: unknown }) {
    const type = findAgentType(row.agentType);
    if (!type) throw new HttpError(409, `Execution ${row.id} has agent type ${row.agentType}, which this Nexus does not know`);
    this.launch(
      {
        id: row.id,
        organizationId: row.organizationId,
        type,
        conversationId: row.conversationId,
        newConversation: false,
        definitionId: row.definitionId,
        input: row.input as unknown as ExecutionInput,
        resumed: true,
        answer,
        baseSeq: await this.deps.events.lastSeq(row.id),
        totals: totalsOf(row),
      },
      Promise.resolve(),
    );
  }

  private launch(l: Launch, ready: Promise<void>) {
    const controller = new AbortController();
    const done = runLaunch(this.deps, l, ready, controller, () => this.active.delete(l.id));
    // A failed row insert ends the run; its stream says why.
    ready.catch(() => controller.abort(RECORD_FAILED));
    this.active.set(l.id, { organizationId: l.organizationId, controller, done });
  }

}

/** A new conversation's title: the prompt's start, never cut inside a surrogate pair. */
function titleOf(prompt: string) {
  const title = prompt.slice(0, 120);
  return /[\uD800-\uDBFF]$/.test(title) ? title.slice(0, -1) : title;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
