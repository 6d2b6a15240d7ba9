import { describe, expect, it } from "vitest";
import { FanOut } from "./fan-out.js";
import { Graph } from "./graph.js";
import { Node } from "./node.js";

class N extends Node {}

describe("toMermaid", () => {
  it("draws a flowchart with one edge per action, labelled by the action", () => {
    const graph = new Graph().addNode("fetch", new N()).addNode("parse", new N()).addNode("retry", new N());
    graph.addEdge("fetch", "parse").addEdge("parse", "retry", "invalid").addEdge("retry", "fetch");
    expect(graph.toMermaid()).toBe(
      [
        "flowchart TD",
        '  n0["fetch"]',
        '  n1["parse"]',
        '  n2["retry"]',
        '  n0 -->|"default"| n1',
        '  n1 -->|"invalid"| n2',
        '  n2 -->|"default"| n0',
      ].join("\n"),
    );
  });

  it("draws nested graphs as subgraphs and fan-out branches as dotted edges", () => {
    const inner = new Graph(new N({ id: "step" }), { id: "inner" });
    const fan = new FanOut({ left: new N({ id: "l" }), right: new N({ id: "r" }) }, { id: "fan" });
    inner.next(fan);
    const text = new Graph(inner).toMermaid();
    expect(text).toContain('subgraph n0["inner"]');
    expect(text).toContain('n0_0["step"]');
    expect(text).toContain('n1{{"fan"}}');
    expect(text).toContain('n1 -.->|"left"| n1_left_0');
    expect(text).toContain('n0 -->|"default"| n1');
  });

  it("escapes quotes in labels", () => {
    expect(new Graph(new N({ id: 'say "hi"' })).toMermaid()).toContain('n0["say #quot;hi#quot;"]');
  });
});
