// Per-step overhead of KayGraph against PocketFlow-TS and LangGraph.js on identical no-op work.
// Run from the repository root: npm run kaygraph -w @kayos/bench
import {
  kaygraphChain,
  kaygraphLoop,
  langgraphChain,
  langgraphLoop,
  pocketflowChain,
  pocketflowLoop,
  withHook,
  withStore,
  type Workload,
} from "./peers.js";

interface Case {
  name: string;
  steps: number;
  kaygraph: Workload;
  kaygraphAsync?: Workload;
  kaygraphHook: Workload;
  kaygraphStore: Workload;
  pocketflow: Workload;
  langgraph: Workload;
}

const cases: Case[] = [10, 100, 1000].map((steps) => ({
  name: `chain ${steps}`,
  steps,
  kaygraph: kaygraphChain(steps),
  kaygraphAsync: kaygraphChain(steps, undefined, true),
  kaygraphHook: kaygraphChain(steps, withHook),
  kaygraphStore: kaygraphChain(steps, withStore),
  pocketflow: pocketflowChain(steps),
  langgraph: langgraphChain(steps),
}));
// 1000 visits of the loop node plus the end node it exits to.
cases.push({
  name: "self-loop 1000",
  steps: 1001,
  kaygraph: kaygraphLoop(1000),
  kaygraphHook: kaygraphLoop(1000, withHook),
  kaygraphStore: kaygraphLoop(1000, withStore),
  pocketflow: pocketflowLoop(1000),
  langgraph: langgraphLoop(1000),
});

/** Median microseconds per step over repeated runs, after a warm-up, within a time budget. */
async function measure(work: Workload, steps: number, budgetMs: number): Promise<number> {
  const warmupEnd = performance.now() + budgetMs / 4;
  do await work();
  while (performance.now() < warmupEnd);
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (samples.length < 5 || (performance.now() < end && samples.length < 2000)) {
    const t0 = performance.now();
    await work();
    samples.push(((performance.now() - t0) * 1000) / steps);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

const fmt = (us: number): string => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));
const ratio = (a: number, b: number): string => `${(a / b).toFixed(a / b >= 100 ? 0 : 1)}x`;

const rows: string[][] = [];
const results: { name: string; kaygraph: number; store: number }[] = [];
for (const c of cases) {
  const kaygraph = await measure(c.kaygraph, c.steps, 400);
  const asyncNodes = c.kaygraphAsync ? fmt(await measure(c.kaygraphAsync, c.steps, 300)) : "-";
  const hook = await measure(c.kaygraphHook, c.steps, 300);
  const store = await measure(c.kaygraphStore, c.steps, 300);
  const pocketflow = await measure(c.pocketflow, c.steps, 400);
  const langgraph = await measure(c.langgraph, c.steps, c.steps >= 1000 ? 1500 : 600);
  results.push({ name: c.name, kaygraph, store });
  rows.push([
    c.name,
    fmt(kaygraph),
    asyncNodes,
    fmt(hook),
    fmt(store),
    fmt(pocketflow),
    fmt(langgraph),
    ratio(pocketflow, kaygraph),
    ratio(langgraph, kaygraph),
  ]);
}

const header = ["workload", "kaygraph", "async nodes", "+onEvent", "+memory store", "pocketflow", "langgraph", "pocketflow/kaygraph", "langgraph/kaygraph"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(" | ")} |`;
console.log("µs per step (median), lower is better");
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of rows) console.log(line(row));

const worst = Math.max(...results.map((r) => r.kaygraph));
const worstStore = Math.max(...results.map((r) => r.store));
console.log(`\ntargets: <= 5 µs/step plain (${worst <= 5 ? "met" : "MISSED"}: worst ${fmt(worst)}), <= 50 µs/step with memory store (${worstStore <= 50 ? "met" : "MISSED"}: worst ${fmt(worstStore)})`);
