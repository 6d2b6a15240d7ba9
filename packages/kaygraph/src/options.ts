import { GraphOptionsError } from "./errors.js";

export interface BackoffOptions {
  /** Multiplier per attempt: delay = waitMs * factor^(attempt). Default 2. */
  factor?: number;
  /** Upper bound for one delay. Default: no bound. */
  maxMs?: number;
  /** Fraction of the delay that is randomised (0..1): delay * (1 - jitter * random). Default 0.5. */
  jitter?: number;
}

export interface NodeOptions {
  /** Stable id used in events, checkpoints, definitions and Mermaid output. */
  id?: string;
  /** Attempts of `exec` (1 = no retry). Must be >= 1. */
  maxRetries?: number;
  /** Delay before a retry; with `backoff`, the base of the exponential delay. */
  waitMs?: number;
  backoff?: BackoffOptions;
  /** Per-attempt timeout for `exec`; a timed-out attempt fails with TimeoutError and may be retried. */
  timeoutMs?: number;
  /** Decides whether a failed attempt is retried. Default: always. */
  retryOn?: (error: unknown) => boolean;
}

/** Normalized options, shared by reference between a node and its per-visit copies. */
export interface ResolvedNodeOptions {
  readonly maxRetries: number;
  readonly waitMs: number;
  readonly backoff: Required<BackoffOptions> | undefined;
  readonly timeoutMs: number | undefined;
  readonly retryOn: ((error: unknown) => boolean) | undefined;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new GraphOptionsError(message);
}

export function resolveNodeOptions(options: NodeOptions = {}): ResolvedNodeOptions {
  const { maxRetries = 1, waitMs = 0, backoff, timeoutMs, retryOn } = options;
  check(Number.isInteger(maxRetries) && maxRetries >= 1, `maxRetries must be an integer >= 1, got ${maxRetries}`);
  check(Number.isFinite(waitMs) && waitMs >= 0, `waitMs must be a finite number >= 0, got ${waitMs}`);
  check(timeoutMs === undefined || (Number.isFinite(timeoutMs) && timeoutMs > 0), `timeoutMs must be > 0, got ${timeoutMs}`);
  let resolvedBackoff: Required<BackoffOptions> | undefined;
  if (backoff !== undefined) {
    const { factor = 2, maxMs = Number.POSITIVE_INFINITY, jitter = 0.5 } = backoff;
    check(factor >= 1, `backoff.factor must be >= 1, got ${factor}`);
    check(maxMs >= 0, `backoff.maxMs must be >= 0, got ${maxMs}`);
    check(jitter >= 0 && jitter <= 1, `backoff.jitter must be within 0..1, got ${jitter}`);
    resolvedBackoff = { factor, maxMs, jitter };
  }
  return { maxRetries, waitMs, backoff: resolvedBackoff, timeoutMs, retryOn };
}

export const DEFAULT_NODE_OPTIONS = resolveNodeOptions();
