import { GraphError, GraphInterrupt } from "./errors.js";
import type { Level } from "./scope.js";
import type { Params } from "./types.js";

/** What `exec` and `execFallback` receive besides their input. */
export interface ExecContext {
  /** 0-based attempt number. */
  readonly attempt: number;
  /** Aborted when the run is aborted or this attempt times out. */
  readonly signal: AbortSignal;
  readonly params: Readonly<Params>;
  readonly nodeId: string | undefined;
  readonly runId: string | undefined;
  /**
   * Human in the loop: returns the answer when the run was resumed with one, otherwise
   * saves the run and rejects it with a GraphInterrupt carrying `value`.
   */
  interrupt<Answer = unknown>(value: unknown): Answer;
}

/** Answers available to one visit's `ctx.interrupt()` calls. */
export interface InterruptState {
  answers: unknown[];
  asked: number;
}

export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

interface ContextOwner {
  id: string | undefined;
  _params: Params;
}

export class Context implements ExecContext {
  constructor(
    readonly attempt: number,
    readonly signal: AbortSignal,
    private readonly owner: ContextOwner,
    private readonly level: Level,
    private readonly hitl: InterruptState | undefined,
  ) {}

  get params(): Readonly<Params> {
    return this.owner._params;
  }

  get nodeId(): string | undefined {
    return this.owner.id;
  }

  get runId(): string | undefined {
    return this.level.run.runId;
  }

  interrupt<Answer = unknown>(value: unknown): Answer {
    const nodeId = this.owner.id ?? "(node)";
    const state = this.hitl;
    if (state === undefined) {
      const where = this.level.run.parallel ? " and cannot be used inside fan-out branches or batch graphs" : "";
      throw new GraphError("NO_STORE", `ctx.interrupt() in node "${nodeId}" needs a checkpoint store${where}: pass { store } to run().`);
    }
    const index = state.asked++;
    if (index < state.answers.length) return state.answers[index] as Answer;
    throw new GraphInterrupt(value, nodeId, this.level.run.runId ?? "");
  }
}
