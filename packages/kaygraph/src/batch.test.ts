import { describe, expect, it } from "vitest";
import { BatchNode, ParallelBatchNode } from "./batch.js";
import { BatchGraph, ParallelBatchGraph } from "./batch-graph.js";
import type { ExecContext } from "./context.js";
import { Node } from "./node.js";
import { delay } from "./test-helpers.js";
import type { Params } from "./types.js";

interface S {
  items?: number[];
  out?: unknown;
  seen: string[];
}

class Double extends BatchNode<S, number, number> {
  override prep(shared: S): number[] | undefined {
    return shared.items;
  }
  override exec(item: number): number {
    return item * 2;
  }
  override post(shared: S, items: readonly number[], results: number[]): void {
    shared.out = { items, results };
  }
}

let inFlight = 0;
let peak = 0;

/** Later items finish first, so input order and finishing order differ. */
class SlowDouble extends ParallelBatchNode<S, number, number> {
  override prep(shared: S): number[] | undefined {
    return shared.items;
  }
  override async exec(item: number): Promise<number> {
    peak = Math.max(peak, ++inFlight);
    await delay((5 - item) * 5);
    inFlight--;
    return item * 2;
  }
  override post(shared: S, _items: readonly number[], results: number[]): void {
    shared.out = results;
  }
}

describe("BatchNode", () => {
  it("runs exec once per item of prep's array and hands post the results in order", async () => {
    const shared: S = { items: [1, 2, 3], seen: [] };
    await new Double().run(shared);
    expect(shared.out).toEqual({ items: [1, 2, 3], results: [2, 4, 6] });
  });

  it("treats a prep that returns undefined as zero items", async () => {
    const shared: S = { seen: [] };
    await new Double().run(shared);
    expect(shared.out).toEqual({ items: [], results: [] });
  });

  it("retries and falls back per item", async () => {
    const attempts: string[] = [];
    class Picky extends BatchNode<S, number, string> {
      override prep(): number[] {
        return [1, 2];
      }
      override exec(item: number, ctx: ExecContext): string {
        attempts.push(`${item}:${ctx.attempt}`);
        if (item === 2) throw new Error("no twos");
        return `ok ${item}`;
      }
      override execFallback(item: number): string {
        return `fallback ${item}`;
      }
      override post(shared: S, _i: readonly number[], results: string[]): void {
        shared.out = results;
      }
    }
    const shared: S = { seen: [] };
    await new Picky({ maxRetries: 2 }).run(shared);
    expect(shared.out).toEqual(["ok 1", "fallback 2"]);
    expect(attempts).toEqual(["1:0", "2:0", "2:1"]);
  });
});

describe("ParallelBatchNode", () => {
  it("runs items concurrently and keeps results in input order", async () => {
    peak = 0;
    const shared: S = { items: [1, 2, 3, 4], seen: [] };
    await new SlowDouble().run(shared);
    expect(shared.out).toEqual([2, 4, 6, 8]);
    expect(peak).toBe(4);
  });

  it("respects the concurrency limit", async () => {
    peak = 0;
    class Limited extends ParallelBatchNode<S, number, number> {
      override prep(): number[] {
        return [1, 2, 3, 4, 5, 6];
      }
      override async exec(item: number): Promise<number> {
        peak = Math.max(peak, ++inFlight);
        await delay(5);
        inFlight--;
        return item;
      }
      override post(shared: S, _i: readonly number[], results: number[]): void {
        shared.out = results;
      }
    }
    const shared: S = { seen: [] };
    await new Limited({ concurrency: 2 }).run(shared);
    expect(peak).toBe(2);
    expect(shared.out).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("gives every item its full maxRetries (retry state is per item, not shared)", async () => {
    const attempts = new Map<number, number[]>();
    class EachFailsTwice extends ParallelBatchNode<S, number, string> {
      override prep(): number[] {
        return [1, 2, 3];
      }
      override async exec(item: number, ctx: ExecContext): Promise<string> {
        attempts.set(item, [...(attempts.get(item) ?? []), ctx.attempt]);
        await delay(1);
        if (ctx.attempt < 2) throw new Error(`item ${item} attempt ${ctx.attempt}`);
        return `item ${item} ok`;
      }
      override post(shared: S, _i: readonly number[], results: string[]): void {
        shared.out = results;
      }
    }
    const shared: S = { seen: [] };
    await new EachFailsTwice({ maxRetries: 3 }).run(shared);
    expect(shared.out).toEqual(["item 1 ok", "item 2 ok", "item 3 ok"]);
    expect([...attempts.values()]).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
  });

  it("treats a prep that returns undefined as zero items", async () => {
    const shared: S = { seen: [] };
    await new SlowDouble().run(shared);
    expect(shared.out).toEqual([]);
  });

  it("rejects an invalid concurrency at construction", () => {
    expect(() => new ParallelBatchNode({ concurrency: 0 })).toThrow(RangeError);
  });
});

class RecordParams extends Node<S> {
  override async prep(shared: S): Promise<void> {
    await delay(Number(this.params.wait ?? 0));
    shared.seen.push(`${String(this.params.file)}@${String(this.params.dir)}`);
  }
}

class Files extends BatchGraph<S> {
  override prep(): Params[] {
    return [{ file: "a" }, { file: "b", dir: "override" }];
  }
}

describe("BatchGraph", () => {
  it("runs the graph once per param object, merging item params over the graph's (item wins)", async () => {
    const shared: S = { seen: [] };
    await new Files(new RecordParams()).setParams({ dir: "root" }).run(shared);
    expect(shared.seen).toEqual(["a@root", "b@override"]);
  });

  it("treats a prep that returns undefined as zero items", async () => {
    const shared: S = { seen: [] };
    await expect(new BatchGraph<S>(new RecordParams()).run(shared)).resolves.toBe("default");
    expect(shared.seen).toEqual([]);
  });
});

describe("ParallelBatchGraph", () => {
  it("runs the items concurrently with merged params", async () => {
    class Parallel extends ParallelBatchGraph<S> {
      override prep(): Params[] {
        return [
          { file: "slow", wait: 30 },
          { file: "fast", wait: 1 },
        ];
      }
    }
    const shared: S = { seen: [] };
    await new Parallel(new RecordParams()).setParams({ dir: "d" }).run(shared);
    expect(shared.seen).toEqual(["fast@d", "slow@d"]);
  });

  it("treats a prep that returns undefined as zero items", async () => {
    const shared: S = { seen: [] };
    await new ParallelBatchGraph<S>(new RecordParams()).run(shared);
    expect(shared.seen).toEqual([]);
  });
});
