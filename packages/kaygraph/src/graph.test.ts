import { describe, expect, it } from "vitest";
import { GraphError } from "./errors.js";
import { Graph } from "./graph.js";
import { Node } from "./node.js";
import { recorder } from "./test-helpers.js";

interface S {
  trail: string[];
  count?: number;
}

/** Records its name and returns a fixed action. */
class Say extends Node<S> {
  constructor(
    readonly name: string,
    private readonly action?: string,
  ) {
    super({ id: name });
  }
  override post(shared: S): string | undefined {
    shared.trail.push(this.name);
    return this.action;
  }
}

describe("Graph routing", () => {
  it("follows the successor wired to the action post returns and resolves to the last action", async () => {
    const decide = new Say("decide", "right");
    decide.on("left", new Say("left")).on("right", new Say("right", "finished"));
    const shared: S = { trail: [] };
    await expect(new Graph<S>(decide).run(shared)).resolves.toBe("finished");
    expect(shared.trail).toEqual(["decide", "right"]);
  });

  it("routes undefined and empty-string actions to the default successor", async () => {
    const a = new Say("a", "");
    a.next(new Say("b")).next(new Say("c"));
    const shared: S = { trail: [] };
    await new Graph<S>(a).run(shared);
    expect(shared.trail).toEqual(["a", "b", "c"]);
  });

  it("warns exactly once at a dead end, naming the action and the available ones", async () => {
    const a = new Say("a", "missing");
    a.on("yes", new Say("yes")).on("no", new Say("no"));
    const rec = recorder();
    const shared: S = { trail: [] };
    await expect(new Graph<S>(a).run(shared, { onEvent: rec.onEvent })).resolves.toBe("missing");
    const warnings = rec.of("warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe("DEAD_END");
    expect(warnings[0]?.message).toContain('"missing"');
    expect(warnings[0]?.message).toContain('"yes", "no"');
    expect(shared.trail).toEqual(["a"]);
  });

  it("ends silently when the last node has no successors at all", async () => {
    const a = new Say("a", "whatever");
    const rec = recorder();
    await new Graph<S>(a).run({ trail: [] }, { onEvent: rec.onEvent });
    expect(rec.of("warning")).toEqual([]);
  });

  it("emits run, node and transition events in order", async () => {
    const a = new Say("a");
    a.next(new Say("b"));
    const rec = recorder();
    await new Graph<S>(a, { id: "g" }).run({ trail: [] }, { onEvent: rec.onEvent });
    expect(rec.events.map((e) => e.type)).toEqual(["run:start", "node:start", "node:end", "transition", "node:start", "node:end", "run:end"]);
    expect(rec.of("transition")[0]).toMatchObject({ graphId: "g", from: "a", to: "b", action: "default" });
    expect(rec.of("run:end")[0]).toMatchObject({ status: "done", action: "default" });
  });

  it("does no event work when nobody listens", async () => {
    const a = new Say("a", "missing");
    a.on("other", new Say("other"));
    const original = performance.now;
    let clockReads = 0;
    performance.now = () => {
      clockReads++;
      return original.call(performance);
    };
    try {
      await new Graph<S>(a).run({ trail: [] });
      expect(clockReads).toBe(0);
      await new Graph<S>(a).run({ trail: [] }, { onEvent: () => undefined });
      expect(clockReads).toBeGreaterThan(0);
    } finally {
      performance.now = original;
    }
  });

  it("emits node:error and run:end with status error when a node fails", async () => {
    class Boom extends Node<S> {
      override exec(): never {
        throw new Error("boom");
      }
    }
    const rec = recorder();
    await expect(new Graph<S>(new Boom({ id: "boom" })).run({ trail: [] }, { onEvent: rec.onEvent })).rejects.toThrow("boom");
    expect(rec.of("node:error")[0]).toMatchObject({ nodeId: "boom" });
    expect(rec.of("run:end")[0]).toMatchObject({ status: "error" });
  });
});

describe("Per-visit copies", () => {
  it("self-loop sees fresh instance fields on every visit", async () => {
    const seen: number[] = [];
    class Loop extends Node<S> {
      visits = 0;
      override post(shared: S): string {
        this.visits++;
        seen.push(this.visits);
        shared.count = (shared.count ?? 0) + 1;
        return shared.count < 3 ? "again" : "stop";
      }
    }
    const loop = new Loop();
    loop.on("again", loop);
    await new Graph<S>(loop).run({ trail: [] });
    expect(seen).toEqual([1, 1, 1]);
    expect(loop.visits).toBe(0);
  });

  it("instance fields changed during a run do not persist to the next run", async () => {
    class Counter extends Node<S> {
      calls = 0;
      override exec(): number {
        return ++this.calls;
      }
      override post(shared: S, _p: unknown, e: unknown): void {
        shared.count = e as number;
      }
    }
    const graph = new Graph<S>(new Counter());
    const first: S = { trail: [] };
    const second: S = { trail: [] };
    await graph.run(first);
    await graph.run(second);
    expect([first.count, second.count]).toEqual([1, 1]);
  });
});

describe("Nested graphs", () => {
  it("a nested graph's final action drives the outer routing", async () => {
    const inner = new Graph<S>(new Say("inner", "escalate"), { id: "inner" });
    inner.on("escalate", new Say("escalated")).on("default", new Say("normal"));
    const shared: S = { trail: [] };
    await new Graph<S>(inner).run(shared);
    expect(shared.trail).toEqual(["inner", "escalated"]);
  });

  it("a graph's own successors are followed only when it runs inside another graph", async () => {
    const inner = new Graph<S>(new Say("inner"));
    inner.next(new Say("after"));
    const alone: S = { trail: [] };
    await inner.run(alone);
    expect(alone.trail).toEqual(["inner"]);
    const nested: S = { trail: [] };
    await new Graph<S>(inner).run(nested);
    expect(nested.trail).toEqual(["inner", "after"]);
  });

  it("graph post can rewrite the final action", async () => {
    class Renaming extends Graph<S> {
      override post(_shared: S, _prep: unknown, last: string): string {
        return `${last}!`;
      }
    }
    await expect(new Renaming(new Say("a", "x")).run({ trail: [] })).resolves.toBe("x!");
  });
});

describe("Params", () => {
  class ReadParams extends Node<S> {
    override post(shared: S): void {
      shared.trail.push(JSON.stringify(this.params));
    }
  }

  it("graph params replace a node's own params inside the graph", async () => {
    const node = new ReadParams().setParams({ own: true });
    const shared: S = { trail: [] };
    await new Graph<S>(node).setParams({ graph: 1 }).run(shared);
    expect(shared.trail).toEqual(['{"graph":1}']);
    expect(node.params).toEqual({ own: true });
  });

  it("graph params flow into nested graphs", async () => {
    const inner = new Graph<S>(new ReadParams().setParams({ own: true })).setParams({ inner: true });
    const shared: S = { trail: [] };
    await new Graph<S>(inner).setParams({ outer: 1 }).run(shared);
    expect(shared.trail).toEqual(['{"outer":1}']);
  });
});

describe("Builder style", () => {
  it("addNode/addEdge wire by name and the first added node is the start", async () => {
    const graph = new Graph<S>()
      .addNode("fetch", new Say("fetch", "ok"))
      .addNode("process", new Say("process"))
      .addNode("fail", new Say("fail"))
      .addEdge("fetch", "process", "ok")
      .addEdge("fetch", "fail", "error");
    const shared: S = { trail: [] };
    await graph.run(shared);
    expect(shared.trail).toEqual(["fetch", "process"]);
  });

  it("start() overrides the first added node and returns it for chaining", async () => {
    const graph = new Graph<S>().addNode("a", new Say("a")).addNode("b", new Say("b"));
    const b = graph.start("b");
    expect(b).toBe(graph.getNode("b"));
    const shared: S = { trail: [] };
    await graph.run(shared);
    expect(shared.trail).toEqual(["b"]);
  });

  it("new Graph() with no start fails with a GraphError when run", async () => {
    const error = await new Graph<S>().run({ trail: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe("NO_START");
    expect((error as GraphError).message).toContain("no start node");
  });

  it("addEdge with an unknown node name is a GraphError listing the known names", () => {
    const graph = new Graph<S>().addNode("a", new Say("a"));
    expect(() => graph.addEdge("a", "nope")).toThrow(GraphError);
    expect(() => graph.addEdge("a", "nope")).toThrow(/"nope".*known: "a"/);
  });

  it("adding the same name twice is a GraphError", () => {
    const graph = new Graph<S>().addNode("a", new Say("a"));
    expect(() => graph.addNode("a", new Say("a2"))).toThrow(GraphError);
  });

  it("two different nodes with the same explicit id are a GraphError", async () => {
    const a = new Say("same");
    a.next(new Say("same"));
    const error = await new Graph<S>(a).run({ trail: [] }, { onEvent: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe("DUPLICATE_NODE");
  });
});
