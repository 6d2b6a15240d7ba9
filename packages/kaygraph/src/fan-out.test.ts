import { describe, expect, it } from "vitest";
import { GraphError } from "./errors.js";
import { FanOut } from "./fan-out.js";
import { Graph } from "./graph.js";
import { Node } from "./node.js";
import { delay } from "./test-helpers.js";

interface S {
  topic: string;
  research?: string;
  draft?: string;
  log: string[];
  final?: string;
}

let active = 0;
let peak = 0;

class Work extends Node<S> {
  constructor(
    private readonly key: "research" | "draft",
    private readonly ms: number,
  ) {
    super();
  }
  override async exec(): Promise<void> {
    peak = Math.max(peak, ++active);
    await delay(this.ms);
    active--;
  }
  override post(shared: S): void {
    shared[this.key] = `${this.key} on ${shared.topic}`;
    shared.log.push(this.key);
  }
}

class Join extends Node<S> {
  override post(shared: S): void {
    shared.final = `${shared.research} + ${shared.draft}`;
  }
}

describe("FanOut", () => {
  it("runs different branches concurrently and continues at the join once all finished", async () => {
    peak = 0;
    const fan = new FanOut<S>({ research: new Work("research", 30), draft: new Work("draft", 5) });
    fan.next(new Join());
    const shared: S = { topic: "graphs", log: [] };
    await new Graph<S>(fan).run(shared);
    expect(peak).toBe(2);
    expect(shared.final).toBe("research on graphs + draft on graphs");
  });

  it("gives each branch its own copy of shared, so branches cannot see each other's writes", async () => {
    const seenByB: unknown[] = [];
    class A extends Node<S> {
      override post(shared: S): void {
        shared.research = "from A";
      }
    }
    class B extends Node<S> {
      override async prep(shared: S): Promise<void> {
        await delay(10);
        seenByB.push(shared.research);
      }
    }
    const shared: S = { topic: "t", log: [] };
    await new Graph<S>(new FanOut<S>({ a: new A(), b: new B() })).run(shared);
    expect(seenByB).toEqual([undefined]);
    expect(shared.research).toBe("from A");
  });

  it("the default merge applies changed keys in declaration order, whatever the finishing order", async () => {
    class Set extends Node<S> {
      constructor(
        private readonly value: string,
        private readonly ms: number,
      ) {
        super();
      }
      override async post(shared: S): Promise<void> {
        await delay(this.ms);
        shared.draft = this.value;
        shared.log.push(this.value);
      }
    }
    const shared: S = { topic: "t", log: ["before"] };
    await new Graph<S>(new FanOut<S>({ first: new Set("first", 1), second: new Set("second", 20) })).run(shared);
    expect(shared.draft).toBe("second");
    const again: S = { topic: "t", log: ["before"] };
    await new Graph<S>(new FanOut<S>({ first: new Set("first", 20), second: new Set("second", 1) })).run(again);
    expect(again.draft).toBe("second");
  });

  it("a custom merge rule receives each branch's state and action", async () => {
    class Tag extends Node<S> {
      constructor(private readonly tag: string) {
        super();
      }
      override post(shared: S): string {
        shared.log.push(this.tag);
        return this.tag;
      }
    }
    const shared: S = { topic: "t", log: [] };
    const fan = new FanOut<S>(
      { x: new Tag("x"), y: new Tag("y") },
      {
        merge: (target, results) => {
          target.log = results.flatMap((r) => r.shared.log.map((entry) => `${r.name}:${entry}:${r.action}`));
        },
      },
    );
    await new Graph<S>(fan).run(shared);
    expect(shared.log).toEqual(["x:x:x", "y:y:y"]);
  });

  it("branches may be graphs of several nodes", async () => {
    const first = new Work("research", 1);
    first.next(new Work("draft", 1));
    const shared: S = { topic: "t", log: [] };
    await new Graph<S>(new FanOut<S>({ chain: first })).run(shared);
    expect(shared.log).toEqual(["research", "draft"]);
  });

  it("fails the fan-out when a branch fails and aborts the other branches", async () => {
    const visited: string[] = [];
    class Fail extends Node<S> {
      override exec(): never {
        throw new Error("branch failed");
      }
    }
    class Slow extends Node<S> {
      override async exec(): Promise<void> {
        await delay(20);
      }
    }
    class After extends Node<S> {
      override prep(): void {
        visited.push("after");
      }
    }
    const slow = new Slow();
    slow.next(new After());
    const fan = new FanOut<S>({ bad: new Fail(), slow });
    fan.next(new Join());
    const shared: S = { topic: "t", log: [] };
    await expect(new Graph<S>(fan).run(shared)).rejects.toThrow("branch failed");
    await delay(40);
    expect(visited).toEqual([]);
    expect(shared.final).toBeUndefined();
  });

  it("state that structuredClone cannot copy is a GraphError suggesting an isolate option", async () => {
    const shared = { topic: "t", log: [], fn: () => 1 } as S & { fn: () => number };
    const error = await new Graph<S>(new FanOut<S>({ a: new Node<S>() })).run(shared).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as Error).message).toContain("isolate");
  });
});
