/**
 * Reads every 100 ms until `check` holds, as the pages poll, at most `attempts` times; then fails
 * naming what never happened and what was last seen. A failed read fails at once.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, attempts = 100): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await read();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} never happened; last seen: ${JSON.stringify(last)}`);
}
