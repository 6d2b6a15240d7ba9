/** A value or a promise of it: every lifecycle method may be sync or async. */
export type MaybePromise<T> = T | PromiseLike<T>;

/** Params are a flat, copied record: graph params replace a node's own inside a graph. */
export type Params = Record<string, unknown>;

/**
 * What `post` may return for a node declaring `Action`: one of its actions, or
 * (only when "default" is one of them) `undefined` / `""`, which both mean "default".
 */
export type PostResult<Action extends string> =
  | Action
  | ("default" extends Action ? undefined | void | "" : never);

/** Cheap thenable test used to keep the sync path free of promises. */
export function isThenable<T>(value: MaybePromise<T>): value is PromiseLike<T> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

export const DEFAULT_ACTION = "default";
