/** Structural equality for plain data (what a branch can have changed in its copy of shared). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((value, i) => deepEqual(value, b[i]));
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof Map || a instanceof Set || b instanceof Map || b instanceof Set) {
    return JSON.stringify([...(a as Iterable<unknown>)]) === JSON.stringify([...(b as Iterable<unknown>)]);
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => Object.hasOwn(recordB, key) && deepEqual(recordA[key], recordB[key]));
}

/**
 * The default merge rule: every top-level key a branch changed is copied onto shared, branch
 * by branch in declaration order, so when two branches change one key the later-declared one
 * wins, whatever the order they finished in.
 */
export function assignChanges(shared: object, before: Readonly<Record<string, unknown>>, branchStates: readonly object[]): void {
  const target = shared as Record<string, unknown>;
  for (const state of branchStates) {
    for (const [key, value] of Object.entries(state)) {
      if (!Object.hasOwn(before, key) || !deepEqual(value, before[key])) target[key] = value;
    }
  }
}
