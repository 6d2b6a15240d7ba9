// What one usage transaction did: the event ids it stored for the first time (and still holds), and
// those whose stored copy it replaced. A first import copies tens of thousands of new ids; adding each
// to a Set as it went cost the import ~40 ms of its main thread, so copied batches are kept as they are
// and the set is built when someone asks for it (a count needs none unless rows were deleted).
import type { UsageRecord } from "../services/usage-record";

type Step = { copied: readonly UsageRecord[] } | { added: string } | { removed: string };

export class UsageWrite {
  /** Event ids whose stored copy this write replaced (a better copy of the response). */
  readonly updated = new Set<string>();
  private readonly steps: Step[] = [];
  private removals = 0;
  private built: Set<string> | null = null;

  /** Records copied into the table, each with an id it did not hold. */
  copied(records: readonly UsageRecord[]) {
    this.steps.push({ copied: records });
    this.built = null;
  }

  /** An id inserted on its own. */
  added(id: string) {
    this.steps.push({ added: id });
    this.built = null;
  }

  /** A row deleted (a superseded sidechain copy): not stored any more, whoever stored it. */
  removed(id: string) {
    this.steps.push({ removed: id });
    this.removals++;
    this.built = null;
  }

  /** Event ids stored for the first time. */
  get inserted(): ReadonlySet<string> {
    if (this.built) return this.built;
    const ids = new Set<string>();
    for (const s of this.steps) {
      if ("copied" in s) for (const r of s.copied) ids.add(r.eventId);
      else if ("added" in s) ids.add(s.added);
      else ids.delete(s.removed);
    }
    return (this.built = ids);
  }

  /** How many: without deletions every id counted was new when stored, so none repeats. */
  get insertedCount(): number {
    if (this.removals > 0) return this.inserted.size;
    let n = 0;
    for (const s of this.steps) n += "copied" in s ? s.copied.length : 1;
    return n;
  }
}
