import { describe, expect, it } from "vitest";
import type { ExecContext } from "../context.js";
import { GraphError, GraphInterrupt } from "../errors.js";
import { Graph } from "../graph.js";
import { Node } from "../node.js";
import { MemoryCheckpointStore } from "./memory-store.js";

interface S {
  trail: string[];
  total?: number;
  approved?: unknown;
}

/** Counts exec calls across runs and copies, like a side effect in the outside world. */
const execCalls = new Map<string, number>();
let crashIn: string | undefined;

class Step extends Node<S, number, number> {
  constructor(private readonly name: string) {
    super({ id: name });
  }
  override prep(shared: S): number {
    return shared.total ?? 0;
  }
  override exec(total: number): number {
    execCalls.set(this.name, (execCalls.get(this.name) ?? 0) + 1);
    return total + 1;
  }
  override post(shared: S, _p: number, total: number): void {
    if (crashIn === this.name) {
      crashIn = undefined;
      throw new Error(`crash in ${this.name}`);
    }
    shared.total = total;
    shared.trail.push(this.name);
  }
}

function chain(...names: string[]): Node<S, number, number> {
  const [first, ...rest] = names.map((n) => new Step(n));
  let last = first as Step;
  for (const node of rest) last = last.next(node);
  return first as Step;
}

describe("Checkpoints", () => {
  it("resuming after a crash in post never repeats a finished exec", async () => {
    execCalls.clear();
    const store = new MemoryCheckpointStore();
    const graph = new Graph<S>(chain("a", "b", "c"), { id: "pipeline", store });
    crashIn = "b";
    await expect(graph.run({ trail: [] }, { runId: "r1" })).rejects.toThrow("crash in b");
    expect((await store.load("r1"))?.status).toBe("failed");

    const shared: S = { trail: [] };
    await expect(graph.resume("r1", { shared })).resolves.toBe("default");
    expect(Object.fromEntries(execCalls)).toEqual({ a: 1, b: 1, c: 1 });
    expect(shared).toEqual({ trail: ["a", "b", "c"], total: 3 });
    expect((await store.load("r1"))?.status).toBe("done");
  });

  it("saves at node boundaries and between exec and post", async () => {
    const saved: string[] = [];
    const store = new MemoryCheckpointStore();
    const spy = {
      save: async (cp: Parameters<MemoryCheckpointStore["save"]>[0]) => {
        saved.push(`${cp.status}:${cp.frames.map((f) => `${f.node}/${f.phase}`).join(">")}`);
        await store.save(cp);
      },
      load: store.load.bind(store),
      delete: store.delete.bind(store),
    };
    await new Graph<S>(chain("a", "b"), { id: "g" }).run({ trail: [] }, { store: spy });
    expect(saved).toEqual([
      "running:g/inside>a/start",
      "running:g/inside>a/executed",
      "running:g/inside>b/start",
      "running:g/inside>b/executed",
      "running:g/executed",
      "done:",
    ]);
  });

  it("resumes inside a nested graph at the node where it stopped", async () => {
    execCalls.clear();
    const store = new MemoryCheckpointStore();
    const inner = new Graph<S>(chain("x", "y"), { id: "inner" });
    const first = new Step("first");
    first.next(inner).next(new Step("last"));
    const graph = new Graph<S>(first, { id: "outer", store });
    crashIn = "y";
    await expect(graph.run({ trail: [] }, { runId: "nested" })).rejects.toThrow("crash in y");
    const shared: S = { trail: [] };
    await graph.resume("nested", { shared });
    expect(shared.trail).toEqual(["first", "x", "y", "last"]);
    expect(Object.fromEntries(execCalls)).toEqual({ first: 1, x: 1, y: 1, last: 1 });
  });

  it("a process crash (nothing saved after the last checkpoint) resumes from the last checkpoint", async () => {
    execCalls.clear();
    const store = new MemoryCheckpointStore();
    // Simulate a process dying: the store stops accepting writes after the exec of "b".
    let writes = 0;
    const dying = {
      save: async (cp: Parameters<MemoryCheckpointStore["save"]>[0]) => {
        if (++writes > 4) throw new Error("process died");
        await store.save(cp);
      },
      load: store.load.bind(store),
      delete: store.delete.bind(store),
    };
    const graph = new Graph<S>(chain("a", "b", "c"), { id: "p" });
    await expect(graph.run({ trail: [] }, { store: dying, runId: "crash" })).rejects.toThrow("process died");
    expect((await store.load("crash"))?.status).toBe("running");
    const shared: S = { trail: [] };
    await graph.resume("crash", { store, shared });
    expect(shared.trail).toEqual(["a", "b", "c"]);
    expect(Object.fromEntries(execCalls)).toEqual({ a: 1, b: 1, c: 1 });
  });

  it("resume errors are GraphErrors: unknown run, finished run, another graph's run, no store", async () => {
    const store = new MemoryCheckpointStore();
    const graph = new Graph<S>(chain("a"), { id: "g1", store });
    await graph.run({ trail: [] }, { runId: "done-run" });
    await expect(graph.resume("nope")).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    await expect(graph.resume("done-run")).rejects.toMatchObject({ code: "RUN_FINISHED" });
    await expect(new Graph<S>(chain("a"), { id: "g2", store }).resume("done-run")).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    await expect(new Graph<S>(chain("a")).resume("done-run")).rejects.toBeInstanceOf(GraphError);
  });

  it("the memory store rejects state that is not JSON-serializable", async () => {
    const shared = { trail: [], big: 10n } as S & { big: bigint };
    await expect(new Graph<S>(chain("a")).run(shared, { store: new MemoryCheckpointStore() })).rejects.toMatchObject({ code: "NOT_SERIALIZABLE" });
  });
});

describe("Human in the loop", () => {
  class Approve extends Node<S, number, unknown> {
    override prep(shared: S): number {
      return shared.total ?? 0;
    }
    override exec(total: number, ctx: ExecContext): unknown {
      execCalls.set("approve", (execCalls.get("approve") ?? 0) + 1);
      return ctx.interrupt({ question: `Approve total ${total}?` });
    }
    override post(shared: S, _p: number, answer: unknown): string {
      shared.approved = answer;
      return answer === "yes" ? "approved" : "rejected";
    }
  }

  it("interrupts with a value, saves the run, and resuming supplies the answer", async () => {
    execCalls.clear();
    const store = new MemoryCheckpointStore();
    const approve = new Approve({ id: "approve" });
    const first = chain("a");
    first.next(approve).on("approved", new Step("ship"));
    approve.on("rejected", new Step("discard"));
    const graph = new Graph<S>(first, { id: "review", store });

    const error = await graph.run({ trail: [] }, { runId: "hitl" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphInterrupt);
    expect(error).toMatchObject({ value: { question: "Approve total 1?" }, nodeId: "approve", runId: "hitl" });
    const saved = await store.load("hitl");
    expect(saved).toMatchObject({ status: "interrupted", interrupt: { nodeId: "approve", value: { question: "Approve total 1?" } } });

    const shared: S = { trail: [] };
    await expect(graph.resume("hitl", { answer: "yes", shared })).resolves.toBe("default");
    expect(shared).toMatchObject({ approved: "yes", trail: ["a", "ship"], total: 2 });
    expect(execCalls.get("a")).toBe(1);
  });

  it("resuming without an answer interrupts again", async () => {
    const store = new MemoryCheckpointStore();
    const graph = new Graph<S>(new Approve({ id: "approve" }), { id: "ask", store });
    await expect(graph.run({ trail: [] }, { runId: "again" })).rejects.toBeInstanceOf(GraphInterrupt);
    await expect(graph.resume("again")).rejects.toBeInstanceOf(GraphInterrupt);
    await expect(graph.resume("again", { answer: "no" })).resolves.toBe("rejected");
  });

  it("interrupt without a checkpoint store is a clear GraphError", async () => {
    const error = await new Graph<S>(new Approve({ id: "approve" })).run({ trail: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).not.toBeInstanceOf(GraphInterrupt);
    expect((error as Error).message).toContain("checkpoint store");
  });
});
