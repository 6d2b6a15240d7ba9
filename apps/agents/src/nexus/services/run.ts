// One run of an execution in this process: the agent type's run with its context (events to the
// hub, model calls with usage to Observer), then its end written to the row and announced with
// `done`, in that order, so whoever sees `done` reads the final row.
import { type AgentType, type ExecutionInput, type RunContext, WAITING } from "../agent-types/types";
import type { ExecutionTotals } from "../store/executions";
import type { NexusDeps } from "./deps";
import { closeEndedElsewhere } from "./ending";
import { messageOf } from "./totals";
import { addUsage, usageEvent } from "./usage";

/** Why a run's controller was aborted. */
export const STOP = "stopped by request";
export const SHUTDOWN = "service shutting down";
export const RECORD_FAILED = "the execution could not be recorded";
export const ENDED_ELSEWHERE = "ended by another Nexus process";

export interface Launch {
  id: string;
  organizationId: string;
  type: AgentType;
  conversationId: string | null;
  newConversation: boolean;
  definitionId: string | null;
  input: ExecutionInput;
  resumed: boolean;
  answer?: { value: unknown };
  baseSeq: number;
  totals: ExecutionTotals;
}

/** Runs the launch to its end; resolves when its events are stored and `onEnd` was called. */
export function runLaunch(deps: NexusDeps, l: Launch, ready: Promise<void>, controller: AbortController, onEnd: () => void): Promise<void> {
  const live = deps.hub.open(l.organizationId, l.id, l.baseSeq, ready);
  const started = performance.now();
  const totals = l.totals;
  const ctx: RunContext = {
    executionId: l.id,
    organizationId: l.organizationId,
    conversationId: l.conversationId,
    definitionId: l.definitionId,
    newConversation: l.newConversation,
    input: l.input,
    signal: controller.signal,
    resumed: l.resumed,
    answer: l.answer,
    emit: (type, data) => void live.emit(type, data),
    claude: (req) =>
      deps.claude.stream({
        ...req,
        signal: controller.signal,
        onUsage: (u) => {
          const cost = addUsage(totals, u);
          deps.reporter.report(l.organizationId, [
            // One Observer session per execution, so a run's metrics are its own.
            usageEvent(u, cost, { executionId: l.id, sessionId: l.id, agentType: l.type.name }),
          ]);
        },
      }),
    ready,
    record: async (data) => {
      await ready;
      await deps.executions.update(l.id, data);
    },
    deps,
  };
  const final = () => {
    if (totals.ttftMs === null && live.firstTokenAt !== null) totals.ttftMs = Math.round(live.firstTokenAt - started);
    return totals;
  };
  return (async () => {
    try {
      if (!l.resumed) live.emit("status", { status: "running" });
      const result = await l.type.run(ctx);
      await ready;
      if (result === WAITING) {
        await deps.executions.update(l.id, { ...final() });
        return;
      }
      // Stopped elsewhere just as it finished: the stop stands.
      if (!(await deps.executions.finish(l.id, "succeeded", { result, error: null, totals: final() }))) return await closeEndedElsewhere(deps, live, l.id);
      live.emit("result", { result });
      live.emit("done", { status: "succeeded", error: null });
    } catch (error) {
      const recorded = await ready.then(() => null).catch((e: unknown) => e);
      if (controller.signal.aborted && controller.signal.reason === SHUTDOWN) return;
      if (controller.signal.aborted && controller.signal.reason === ENDED_ELSEWHERE) return await closeEndedElsewhere(deps, live, l.id);
      const stopped = controller.signal.aborted && controller.signal.reason === STOP;
      const message = recorded ? `Nexus could not record the execution: ${messageOf(recorded, deps.logError)}` : stopped ? null : messageOf(error, deps.logError);
      const ok = !recorded;
      if (ok && !(await deps.executions.finish(l.id, stopped ? "stopped" : "failed", { error: message, totals: final() }))) {
        return await closeEndedElsewhere(deps, live, l.id);
      }
      if (message) live.emit("error", { message });
      live.emit("done", { status: stopped ? "stopped" : "failed", error: message });
    } finally {
      await deps.hub.release(live);
      onEnd();
    }
  })();
}
