import { describe, expect, it } from "vitest";
import type { UsageRecord } from "../services/usage-record";
import { UsageWrite } from "./usage-write";

const copies = (...ids: string[]) => ids.map((eventId) => ({ eventId }) as UsageRecord);

describe("a usage write's account", () => {
  it("counts copied batches and single inserts without building the set, and lists them on request", () => {
    const w = new UsageWrite();
    w.copied(copies("a", "b"));
    w.added("c");
    w.copied(copies("d"));
    expect(w.insertedCount).toBe(4);
    expect([...w.inserted].sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("replays deletions in order: a row deleted is not inserted, one stored again after its deletion is", () => {
    const w = new UsageWrite();
    w.copied(copies("a", "b", "c"));
    w.removed("b");
    w.removed("z"); // a row stored before this write
    w.copied(copies("e"));
    w.removed("e");
    w.added("e");
    expect([...w.inserted].sort()).toEqual(["a", "c", "e"]);
    expect(w.insertedCount).toBe(3);
    w.added("f");
    expect(w.inserted.has("f")).toBe(true);
    expect(w.insertedCount).toBe(4);
  });
});
