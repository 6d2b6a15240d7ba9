import { describe, expect, it } from "vitest";
import { GraphError, GraphOptionsError } from "./errors.js";
import { Graph } from "./graph.js";
import { Node } from "./node.js";
import { recorder } from "./test-helpers.js";
import type { ExecContext } from "./context.js";

interface S {
  log: string[];
  value?: number;
}

class Step extends Node<S, number, number> {
  override prep(shared: S): number {
    shared.log.push("prep");
    return 2;
  }
  override exec(prepRes: number): number {
    return prepRes * 10;
  }
  override post(shared: S, prepRes: number, execRes: number): string {
    shared.log.push(`post ${prepRes} ${execRes}`);
    shared.value = execRes;
    return "done";
  }
}

describe("Node lifecycle", () => {
  it("runs prep -> exec -> post, passing each result on, and resolves to post's action", async () => {
    const shared: S = { log: [] };
    await expect(new Step().run(shared)).resolves.toBe("done");
    expect(shared).toEqual({ log: ["prep", "post 2 20"], value: 20 });
  });

  it("accepts async prep, exec and post", async () => {
    class Async extends Node<S, number, number> {
      override async prep(): Promise<number> {
        return 1;
      }
      override async exec(n: number): Promise<number> {
        return n + 1;
      }
      override async post(shared: S, _p: number, e: number): Promise<string> {
        shared.value = e;
        return "ok";
      }
    }
    const shared: S = { log: [] };
    await expect(new Async().run(shared)).resolves.toBe("ok");
    expect(shared.value).toBe(2);
  });

  it("treats post returning undefined or an empty string as the default action", async () => {
    class Empty extends Node<S> {
      override post(): "" {
        return "";
      }
    }
    await expect(new Node<S>().run({ log: [] })).resolves.toBe("default");
    await expect(new Empty().run({ log: [] })).resolves.toBe("default");
  });

  it("gives exec a context with a 0-based attempt, an AbortSignal and the params", async () => {
    const seen: ExecContext[] = [];
    class Spy extends Node<S> {
      override exec(_p: unknown, ctx: ExecContext): void {
        seen.push(ctx);
      }
    }
    await new Spy().setParams({ city: "Oslo" }).run({ log: [] });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.attempt).toBe(0);
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(seen[0]?.params).toEqual({ city: "Oslo" });
  });

  it("rejects maxRetries below 1 at construction with a RangeError that is also a GraphError", () => {
    expect(() => new Node({ maxRetries: 0 })).toThrow(RangeError);
    expect(() => new Node({ maxRetries: 0 })).toThrow(GraphOptionsError);
    try {
      new Node({ maxRetries: -1 });
    } catch (error) {
      expect(error).toBeInstanceOf(GraphError);
    }
    expect.assertions(3);
  });

  it("rejects other invalid options at construction", () => {
    expect(() => new Node({ waitMs: -1 })).toThrow(RangeError);
    expect(() => new Node({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => new Node({ backoff: { jitter: 2 } })).toThrow(RangeError);
  });
});

describe("Node wiring", () => {
  it("next() returns the successor so calls chain, and on() returns the node itself", () => {
    const a = new Node<S>();
    const b = new Node<S>();
    const c = new Node<S>();
    expect(a.next(b).next(c)).toBe(c);
    expect(a.on("other", c)).toBe(a);
    expect(a.successors.get("default")).toBe(b);
    expect(a.successors.get("other")).toBe(c);
    expect(b.successors.get("default")).toBe(c);
  });

  it("warns through onEvent when an action is re-wired to another node", async () => {
    const a = new Node<S>({ id: "a" });
    a.next(new Node<S>());
    a.next(new Node<S>());
    const rec = recorder();
    await new Graph<S>(a).run({ log: [] }, { onEvent: rec.onEvent });
    const rewired = rec.of("warning").filter((w) => w.code === "REWIRED");
    expect(rewired).toHaveLength(1);
    expect(rewired[0]?.message).toContain('"default"');
  });

  it("run() on a node with successors runs it alone and warns", async () => {
    const visited: string[] = [];
    class Mark extends Node<S> {
      constructor(private readonly name: string) {
        super({ id: name });
      }
      override exec(): void {
        visited.push(this.name);
      }
    }
    const a = new Mark("a");
    a.next(new Mark("b"));
    const rec = recorder();
    await a.run({ log: [] }, { onEvent: rec.onEvent });
    expect(visited).toEqual(["a"]);
    expect(rec.of("warning").map((w) => w.code)).toEqual(["SUCCESSORS_IGNORED"]);
  });

  it("does not call console when warning", async () => {
    const a = new Node<S>();
    a.next(new Node<S>());
    const calls: unknown[] = [];
    const original = { warn: console.warn, log: console.log, error: console.error };
    console.warn = console.log = console.error = (...args: unknown[]) => void calls.push(args);
    try {
      await a.run({ log: [] });
    } finally {
      Object.assign(console, original);
    }
    expect(calls).toEqual([]);
  });
});

describe("Node params", () => {
  it("setParams copies the object so later changes do not leak in", async () => {
    const params = { n: 1 };
    const node = new Node<S>().setParams(params);
    params.n = 2;
    expect(node.params).toEqual({ n: 1 });
  });
});
