import { AbortError, GraphOptionsError } from "./errors.js";
import { isThenable, type MaybePromise } from "./types.js";

export function checkConcurrency(concurrency: number | undefined): void {
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new GraphOptionsError(`concurrency must be an integer >= 1, got ${concurrency}`);
  }
}

/**
 * Maps items with at most `limit` in flight; results keep input order. After the first
 * failure no further item is started.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number | undefined,
  fn: (item: T, index: number) => MaybePromise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const workers = Math.min(limit ?? items.length, items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      if (signal?.aborted) throw new AbortError(signal.reason);
      const index = next++;
      try {
        const value = fn(items[index] as T, index);
        results[index] = isThenable(value) ? await value : value;
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const running: Promise<void>[] = [];
  for (let i = 0; i < workers; i++) running.push(worker());
  await Promise.all(running);
  return results;
}
