// Runs an agent for an end user: the adapter's events become numbered run events, appended to the
// tenant's history and pushed to the run's open streams. A closed stream never stops a run.
import { randomBytes } from "node:crypto";
import type { Adapter, AdapterEvent, RunEnvironment } from "../adapters/adapter";
import { AgentError } from "../adapters/adapter";
import { adapters } from "../adapters/index";
import type { AgentEntry } from "../config/schema";
import type { RunStore } from "./store";
import type { RunEvent, RunEventType, RunRecord } from "./types";

const RUN_TIMEOUT_MS = 15 * 60_000;

interface LiveRun {
  run: RunRecord;
  events: RunEvent[];
  /** Sends the answer to the question the agent waits on, while it waits. */
  answer?: (text: string) => Promise<void>;
  listeners: Set<(e: RunEvent) => void>;
  controller: AbortController;
  finished: Promise<void>;
}

export class Runner {
  private readonly live = new Map<string, LiveRun>();

  constructor(
    private readonly store: RunStore,
    private readonly env: RunEnvironment,
  ) {}

  start(user: { email: string; tenant: string }, agent: AgentEntry, input: string): RunRecord {
    const run = this.store.create({
      id: `run_${randomBytes(12).toString("hex")}`,
      tenant: user.tenant,
      user: user.email,
      agent_id: agent.id,
      agent_name: agent.name,
      input,
      created_at: new Date().toISOString(),
    });
    const controller = new AbortController();
    const live: LiveRun = { run, events: [], listeners: new Set(), controller, finished: Promise.resolve() };
    this.live.set(run.id, live);
    live.finished = this.execute(run, agent, input, live).finally(() => this.live.delete(run.id));
    return run;
  }

  private emit(run: RunRecord, live: LiveRun, type: RunEventType, data: Record<string, unknown>) {
    const event: RunEvent = { seq: live.events.length + 1, type, data, at: new Date().toISOString() };
    live.events.push(event);
    this.store.appendEvent(run.id, event);
    for (const listener of live.listeners) listener(event);
  }

  private async execute(run: RunRecord, agent: AgentEntry, input: string, live: LiveRun) {
    const adapter: Adapter = adapters[agent.adapter];
    const signal = AbortSignal.any([live.controller.signal, AbortSignal.timeout(RUN_TIMEOUT_MS)]);
    let text = "";
    let done: Extract<AdapterEvent, { type: "done" }> | undefined;
    let error: string | undefined;
    this.emit(run, live, "status", { message: "Started" });
    try {
      const config = adapter.config.parse(agent.config);
      for await (const e of adapter.run({ agent: { ...agent, config }, input, runId: run.id, user: { tenant: run.tenant }, env: this.env, signal })) {
        if (e.type === "delta") {
          text += e.text;
          this.emit(run, live, "delta", { text: e.text });
        } else if (e.type === "status") {
          this.emit(run, live, "status", { message: e.message });
        } else if (e.type === "question") {
          live.answer = e.answer;
          this.emit(run, live, "question", { question: e.question });
        } else {
          done = e;
          break;
        }
      }
      if (!done) error = signal.aborted ? stoppedMessage(signal) : "The agent finished without an answer";
    } catch (e) {
      error = signal.aborted ? stoppedMessage(signal) : e instanceof AgentError ? e.message : `The agent failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (done && !error) {
      this.emit(run, live, "done", { status: "succeeded", output: done.output });
      this.store.finish(run.id, { status: "succeeded", output: done.output, error: null });
    } else {
      this.emit(run, live, "error", { message: error });
      this.emit(run, live, "done", { status: "failed", output: text || null, error });
      this.store.finish(run.id, { status: "failed", output: text || null, error: error ?? null });
    }
  }

  /** Answers the question the run waits on; false when it waits for none (or does not run here). */
  async answer(runId: string, text: string): Promise<boolean> {
    const live = this.live.get(runId);
    const send = live?.answer;
    if (!live || !send) return false;
    live.answer = undefined;
    try {
      await send(text);
    } catch (error) {
      live.answer = send;
      throw error instanceof AgentError ? error : new AgentError(`The answer did not reach the agent: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.emit(live.run, live, "status", { message: "Answered" });
    return true;
  }

  /** Events after `after`, then live ones until done; undefined when the run is not running here. */
  follow(runId: string, after: number, listener: (e: RunEvent) => void): { replay: RunEvent[]; stop: () => void } | undefined {
    const live = this.live.get(runId);
    if (!live) return undefined;
    // Read and subscribe in one synchronous step, so no event falls between them.
    const replay = live.events.filter((e) => e.seq > after);
    live.listeners.add(listener);
    return { replay, stop: () => live.listeners.delete(listener) };
  }

  /** Stops every running run (server shutdown) and waits until each is recorded as failed. */
  async stopAll() {
    const runs = [...this.live.values()];
    for (const r of runs) r.controller.abort(new Error("The Command Center is shutting down; run it again in a moment"));
    await Promise.all(runs.map((r) => r.finished));
  }
}

function stoppedMessage(signal: AbortSignal) {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === "TimeoutError") return `The agent did not finish within ${RUN_TIMEOUT_MS / 60_000} minutes`;
  return reason instanceof Error ? reason.message : "The run was stopped";
}
