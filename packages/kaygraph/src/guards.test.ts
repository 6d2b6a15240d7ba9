import { describe, expect, it } from "vitest";
import type { ExecContext } from "./context.js";
import { AbortError, GraphError, MaxStepsError } from "./errors.js";
import { Graph } from "./graph.js";
import { Node } from "./node.js";
import { delay } from "./test-helpers.js";

interface S {
  visits: string[];
}

class Visit extends Node<S> {
  constructor(private readonly name: string) {
    super({ id: name });
  }
  override prep(shared: S): void {
    shared.visits.push(this.name);
  }
}

describe("maxSteps", () => {
  it("stops an endless loop with a MaxStepsError naming the node and the step", async () => {
    const spin = new Visit("spin");
    spin.next(spin);
    const shared: S = { visits: [] };
    const error = await new Graph<S>(spin, { id: "loop", maxSteps: 5 }).run(shared).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaxStepsError);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ nodeId: "spin", step: 6, maxSteps: 5, graphId: "loop" });
    expect((error as Error).message).toContain('"spin"');
    expect(shared.visits).toHaveLength(5);
  });

  it("run options can lower the limit for one run", async () => {
    const spin = new Visit("spin");
    spin.next(spin);
    await expect(new Graph<S>(spin).run({ visits: [] }, { maxSteps: 2 })).rejects.toMatchObject({ step: 3 });
  });

  it("rejects a maxSteps below 1", () => {
    expect(() => new Graph(undefined, { maxSteps: 0 })).toThrow(RangeError);
  });
});

describe("Abort", () => {
  it("an already aborted signal rejects with an AbortError before any node starts", async () => {
    const shared: S = { visits: [] };
    const error = await new Graph<S>(new Visit("a")).run(shared, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).name).toBe("AbortError");
    expect(shared.visits).toEqual([]);
  });

  it("aborting during a run rejects and starts no further node", async () => {
    const controller = new AbortController();
    class AbortsRun extends Visit {
      override post(): void {
        controller.abort();
      }
    }
    const a = new AbortsRun("a");
    a.next(new Visit("b"));
    const shared: S = { visits: [] };
    await expect(new Graph<S>(a).run(shared, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(shared.visits).toEqual(["a"]);
  });

  it("aborting while exec is pending rejects promptly and aborts the exec's signal", async () => {
    const controller = new AbortController();
    let execSignal: AbortSignal | undefined;
    class Hang extends Visit {
      override exec(_p: unknown, ctx: ExecContext): Promise<void> {
        execSignal = ctx.signal;
        return new Promise(() => undefined);
      }
    }
    const hang = new Hang("hang");
    hang.next(new Visit("after"));
    const shared: S = { visits: [] };
    const running = new Graph<S>(hang).run(shared, { signal: controller.signal });
    await delay(10);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(AbortError);
    expect(execSignal?.aborted).toBe(true);
    expect(shared.visits).toEqual(["hang"]);
  });

  it("an aborted run is not retried", async () => {
    const controller = new AbortController();
    let attempts = 0;
    class Fails extends Visit {
      override exec(): never {
        attempts++;
        controller.abort();
        throw new Error("failed");
      }
    }
    await expect(new Fails("f").run({ visits: [] }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(attempts).toBe(1);
  });
});
