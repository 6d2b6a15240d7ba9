import { describe, expect, it } from "vitest";
import { GraphDefinitionError, GraphError } from "../errors.js";
import { Graph } from "../graph.js";
import { Node } from "../node.js";
import type { NodeOptions } from "../options.js";
import { NodeRegistry, describeNode } from "./registry.js";
import type { ConfigSchema, SafeParseResult } from "./schema.js";
import type { GraphDefinition } from "./types.js";

interface S {
  out: string[];
}

/** A zod-shaped schema without zod: safeParse with `{ issues: [{ path, message }] }`. */
const greetingSchema: ConfigSchema<{ text: string; times: number }> = {
  safeParse(value: unknown): SafeParseResult<{ text: string; times: number }> {
    const v = (value ?? {}) as Record<string, unknown>;
    const issues: { path: (string | number)[]; message: string }[] = [];
    if (typeof v.text !== "string") issues.push({ path: ["text"], message: "Expected string" });
    if (v.times !== undefined && typeof v.times !== "number") issues.push({ path: ["times"], message: "Expected number" });
    return issues.length > 0 ? { success: false, error: { issues } } : { success: true, data: { text: v.text as string, times: (v.times as number) ?? 1 } };
  },
};

/** A `parse`-style schema that throws. */
const routeSchema: ConfigSchema<{ when: string }> = {
  parse(value: unknown) {
    const when = (value as { when?: unknown } | undefined)?.when;
    if (typeof when !== "string") throw new Error("when must be a string");
    return { when };
  },
};

class Greet extends Node<S> {
  constructor(
    private readonly config: { text: string; times: number },
    options: NodeOptions,
  ) {
    super(options);
  }
  override post(shared: S): void {
    for (let i = 0; i < this.config.times; i++) shared.out.push(this.config.text);
  }
}

class Route extends Node<S> {
  constructor(
    private readonly config: { when: string },
    options: NodeOptions,
  ) {
    super(options);
  }
  override post(): string {
    return this.config.when;
  }
}

const registry = new NodeRegistry()
  .register("greet", { config: greetingSchema, create: (config, options) => new Greet(config, options) })
  .register("route", { config: routeSchema, create: (config, options) => new Route(config, options) });

const definition: GraphDefinition = {
  version: 1,
  id: "hello",
  start: "route",
  params: { lang: "en" },
  maxSteps: 50,
  nodes: [
    { id: "route", type: "route", config: { when: "formal" } },
    { id: "formal", type: "greet", config: { text: "Good day" }, options: { maxRetries: 3, waitMs: 10 } },
    { id: "casual", type: "greet", config: { text: "hi", times: 2 } },
    {
      id: "sub",
      type: "graph",
      graph: { version: 1, start: "bye", nodes: [{ id: "bye", type: "greet", config: { text: "bye" } }], edges: [] },
    },
  ],
  edges: [
    { from: "route", to: "formal", action: "formal" },
    { from: "route", to: "casual", action: "casual" },
    { from: "formal", to: "sub" },
    { from: "casual", to: "sub" },
  ],
};

describe("Definitions", () => {
  it("builds a runnable graph from JSON over registered node types", async () => {
    const graph = Graph.fromDefinition<S>(definition, registry);
    const shared: S = { out: [] };
    await graph.run(shared);
    expect(shared.out).toEqual(["Good day", "bye"]);
    expect(graph.id).toBe("hello");
  });

  it("round-trips: toDefinition() of a built graph equals the definition", () => {
    const graph = Graph.fromDefinition<S>(definition, registry);
    expect(graph.toDefinition()).toEqual(definition);
    expect(Graph.fromDefinition(JSON.parse(JSON.stringify(graph.toDefinition())), registry).toDefinition()).toEqual(definition);
  });

  it("lists every problem of an invalid definition, not just the first", () => {
    const broken = {
      version: 2,
      start: "ghost",
      nodes: [
        { id: "a", type: "greet", config: { text: 5, times: "x" } },
        { id: "a", type: "route", config: {} },
        { id: "c", type: "shell.exec", config: { cmd: "rm -rf /" } },
        { id: "d", type: "greet", config: { text: "x" }, options: { maxRetries: 0, color: "red" } },
      ],
      edges: [
        { from: "a", to: "nowhere" },
        { from: "a", to: "d" },
      ],
    };
    const error = (() => {
      try {
        Graph.fromDefinition(broken, registry);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GraphDefinitionError);
    expect(error).toBeInstanceOf(GraphError);
    const issues = (error as GraphDefinitionError).issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "version", message: "must be 1, got 2" },
        { path: "nodes[0].config.text", message: "Expected string" },
        { path: "nodes[0].config.times", message: "Expected number" },
        { path: "nodes[1].id", message: 'duplicate node id "a"' },
        { path: "nodes[1].config", message: "when must be a string" },
        expect.objectContaining({ path: "nodes[2].type", message: expect.stringContaining('unregistered node type "shell.exec"') }),
        { path: "nodes[3].options.maxRetries", message: "must be an integer >= 1" },
        { path: "nodes[3].options.color", message: "unknown option" },
        { path: "start", message: 'unknown node "ghost"' },
        { path: "edges[0].to", message: 'unknown node "nowhere"' },
        { path: "edges[1]", message: 'node "a" already has an edge for action "default"' },
      ]),
    );
    expect(issues.length).toBeGreaterThanOrEqual(11);
    expect(Graph.validateDefinition(broken, registry)).toEqual(issues);
  });

  it("reports unreachable nodes and problems inside nested graphs with their path", () => {
    const issues = Graph.validateDefinition(
      {
        version: 1,
        start: "a",
        nodes: [
          { id: "a", type: "greet", config: { text: "a" } },
          { id: "island", type: "greet", config: { text: "i" } },
          { id: "sub", type: "graph", graph: { version: 1, start: "x", nodes: [{ id: "x", type: "nope" }], edges: [] } },
        ],
        edges: [{ from: "a", to: "sub" }],
      },
      registry,
    );
    expect(issues).toEqual([
      expect.objectContaining({ path: "nodes[2].graph.nodes[0].type" }),
      { path: "nodes", message: 'node "island" is not reachable from start "a"' },
    ]);
  });

  it("rejects non-objects with a GraphDefinitionError rather than a TypeError", () => {
    expect(() => Graph.fromDefinition(null, registry)).toThrow(GraphDefinitionError);
    expect(() => Graph.fromDefinition({ version: 1, start: "a", nodes: "no", edges: {} }, registry)).toThrow(GraphDefinitionError);
  });

  it("a registry refuses the reserved graph type and duplicate registrations", () => {
    expect(() => new NodeRegistry().register("graph", { create: () => new Node() })).toThrow(GraphError);
    expect(() => registry.register("greet", { create: () => new Node() })).toThrow(GraphError);
  });

  it("toDefinition lists every node that has no registered type", () => {
    const a = new Node<S>({ id: "a" });
    a.next(new Node<S>({ id: "b" }));
    expect(() => new Graph<S>(a).toDefinition()).toThrow(/node "a".*\n.*node "b"/);
  });

  it("nodes built in code can be exported once marked with describeNode", () => {
    const node = describeNode(new Greet({ text: "yo", times: 1 }, { id: "yo" }), "greet", { text: "yo" });
    expect(new Graph<S>(node, { id: "code" }).toDefinition()).toEqual({
      version: 1,
      id: "code",
      start: "yo",
      nodes: [{ id: "yo", type: "greet", config: { text: "yo" } }],
      edges: [],
    });
  });
});
