// The same no-op workloads written for each framework, so one run can compare them.
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { Flow, Node as PfNode } from "pocketflow";
import { Graph, MemoryCheckpointStore, Node, type RunOptions } from "@kayos/kaygraph";

export type Workload = () => Promise<unknown>;

interface Counter {
  i: number;
}

class Noop extends Node<Counter> {}

/** Same no-op with async methods, as PocketFlow's nodes always are: shows the cost of promises. */
class AsyncNoop extends Node<Counter> {
  override async prep(): Promise<void> {}
  override async exec(): Promise<void> {}
  override async post(): Promise<void> {}
}

class Loop extends Node<Counter, unknown, unknown, "loop" | "done"> {
  constructor(private readonly steps: number) {
    super();
  }
  override post(shared: Counter): "loop" | "done" {
    return ++shared.i < this.steps ? "loop" : "done";
  }
}

export function kaygraphChain(steps: number, options: () => RunOptions = () => ({}), async = false): Workload {
  const make = (): Node<Counter> => (async ? new AsyncNoop() : new Noop());
  const first = make();
  let last: Node<Counter> = first;
  for (let i = 1; i < steps; i++) last = last.next(make());
  const graph = new Graph<Counter>(first, { maxSteps: steps + 1 });
  return () => graph.run({ i: 0 }, options());
}

// Every loop ends at a no-op node on "done" so no framework reports a dead end.
export function kaygraphLoop(steps: number, options: () => RunOptions = () => ({})): Workload {
  const loop = new Loop(steps);
  loop.on("loop", loop).on("done", new Noop());
  const graph = new Graph<Counter>(loop, { maxSteps: steps + 1 });
  return () => graph.run({ i: 0 }, options());
}

export const withStore = (): RunOptions => ({ store: new MemoryCheckpointStore() });
export const withHook = (): RunOptions => ({ onEvent: () => undefined });

class PfNoop extends PfNode<Counter> {}

class PfLoop extends PfNode<Counter> {
  constructor(private readonly steps: number) {
    super();
  }
  override async post(shared: Counter): Promise<string> {
    return ++shared.i < this.steps ? "loop" : "done";
  }
}

export function pocketflowChain(steps: number): Workload {
  const first = new PfNoop();
  let last: PfNode<Counter> = first;
  for (let i = 1; i < steps; i++) last = last.next(new PfNoop());
  const flow = new Flow<Counter>(first);
  return () => flow.run({ i: 0 });
}

export function pocketflowLoop(steps: number): Workload {
  const loop = new PfLoop(steps);
  loop.on("loop", loop).on("done", new PfNoop());
  const flow = new Flow<Counter>(loop);
  return () => flow.run({ i: 0 });
}

const State = Annotation.Root({ i: Annotation<number> });

export function langgraphChain(steps: number): Workload {
  // LangGraph's builder types track node names; a loop-built graph needs the untyped view.
  const builder = new StateGraph(State) as unknown as {
    addNode(name: string, fn: (s: { i: number }) => Partial<{ i: number }>): void;
    addEdge(from: string, to: string): void;
    compile(): { invoke(input: { i: number }, config: { recursionLimit: number }): Promise<unknown> };
  };
  for (let i = 0; i < steps; i++) builder.addNode(`n${i}`, () => ({}));
  builder.addEdge(START, "n0");
  for (let i = 1; i < steps; i++) builder.addEdge(`n${i - 1}`, `n${i}`);
  builder.addEdge(`n${steps - 1}`, END);
  const graph = builder.compile();
  return () => graph.invoke({ i: 0 }, { recursionLimit: steps + 10 });
}

export function langgraphLoop(steps: number): Workload {
  const graph = new StateGraph(State)
    .addNode("loop", (s) => ({ i: s.i + 1 }))
    .addNode("end", () => ({}))
    .addEdge(START, "loop")
    .addConditionalEdges("loop", (s) => (s.i < steps ? "loop" : "end"))
    .addEdge("end", END)
    .compile();
  return () => graph.invoke({ i: 0 }, { recursionLimit: steps + 10 });
}
