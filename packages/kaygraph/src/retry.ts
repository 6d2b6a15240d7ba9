import { Context, NEVER_ABORTED, type ExecContext, type InterruptState } from "./context.js";
import { AbortError, GraphError, GraphInterrupt, TimeoutError } from "./errors.js";
import type { ResolvedNodeOptions } from "./options.js";
import type { Level } from "./scope.js";
import { isThenable, type MaybePromise, type Params } from "./types.js";

/** The part of a node that the retry loop drives; `input` is prep's result or one batch item. */
export interface Executable<Input, Result> {
  id: string | undefined;
  _params: Params;
  readonly _opts: ResolvedNodeOptions;
  exec(input: Input, ctx: ExecContext): MaybePromise<Result>;
  execFallback(input: Input, error: unknown, ctx: ExecContext): MaybePromise<Result>;
}

/** Delay before retrying after failed attempt `attempt` (0-based). */
export function retryDelay(options: ResolvedNodeOptions, attempt: number, random: () => number = Math.random): number {
  const backoff = options.backoff;
  if (backoff === undefined) return options.waitMs;
  const base = Math.min(backoff.maxMs, options.waitMs * backoff.factor ** attempt);
  return base * (1 - backoff.jitter * random());
}

export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError(signal.reason));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `exec` with retries, timeout and fallback. Retry state lives in arguments, never on
 * the node, so concurrent items each get their full `maxRetries`. Stays synchronous when
 * `exec` is synchronous and no timeout or signal is involved.
 */
export function execWithRetry<I, R>(
  node: Executable<I, R>,
  input: I,
  level: Level,
  hitl: InterruptState | undefined,
  attempt = 0,
): MaybePromise<R> {
  let result: MaybePromise<R>;
  try {
    result =
      node._opts.timeoutMs === undefined && level.run.signal === undefined
        ? node.exec(input, new Context(attempt, NEVER_ABORTED, node, level, hitl))
        : guardedExec(node, input, level, hitl, attempt);
  } catch (error) {
    return onFailure(node, input, level, hitl, attempt, error);
  }
  if (isThenable(result)) {
    return result.then(undefined, (error: unknown) => onFailure(node, input, level, hitl, attempt, error));
  }
  return result;
}

function onFailure<I, R>(
  node: Executable<I, R>,
  input: I,
  level: Level,
  hitl: InterruptState | undefined,
  attempt: number,
  error: unknown,
): MaybePromise<R> {
  const run = level.run;
  // Interrupts and misuse are control flow, not failures of the work itself.
  if (error instanceof GraphInterrupt || (error instanceof GraphError && error.code === "NO_STORE")) throw error;
  if (run.signal?.aborted) throw error instanceof AbortError ? error : new AbortError(run.signal.reason);
  const options = node._opts;
  if (attempt + 1 < options.maxRetries && (options.retryOn === undefined || options.retryOn(error))) {
    const delayMs = retryDelay(options, attempt);
    run.onEvent?.({ type: "node:retry", graphId: level.graphId, nodeId: node.id ?? "", attempt, delayMs, error });
    if (delayMs > 0) {
      return sleep(delayMs, run.signal).then(() => execWithRetry(node, input, level, hitl, attempt + 1));
    }
    return execWithRetry(node, input, level, hitl, attempt + 1);
  }
  return node.execFallback(input, error, new Context(attempt, run.signal ?? NEVER_ABORTED, node, level, hitl));
}

/** One attempt raced against the run's signal and the attempt's timeout. */
async function guardedExec<I, R>(
  node: Executable<I, R>,
  input: I,
  level: Level,
  hitl: InterruptState | undefined,
  attempt: number,
): Promise<R> {
  const runSignal = level.run.signal;
  if (runSignal?.aborted) throw new AbortError(runSignal.reason);
  const timeoutMs = node._opts.timeoutMs;
  const controller = new AbortController();
  const onRunAbort = (): void => controller.abort(new AbortError(runSignal?.reason));
  runSignal?.addEventListener("abort", onRunAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(new TimeoutError(node.id ?? "(node)", timeoutMs)), timeoutMs);
  try {
    const result = node.exec(input, new Context(attempt, controller.signal, node, level, hitl));
    if (!isThenable(result)) return result;
    return await new Promise<R>((resolve, reject) => {
      const signal = controller.signal;
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      result.then(resolve, reject);
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    runSignal?.removeEventListener("abort", onRunAbort);
  }
}
