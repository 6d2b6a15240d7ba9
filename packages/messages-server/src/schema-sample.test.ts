import { describe, expect, it } from "vitest";
import { z } from "zod";
import { exampleOfPattern, sampleFromSchema, sampleString, slug } from "./schema-sample";
import { offlineToolInput, planStepsProperty } from "./tool-input";

// Samples must validate: each zod schema is turned into JSON Schema (as tools are declared), the
// sample is taken from the JSON Schema, and the zod schema parses it.
const roundTrip = (schema: z.ZodType, text = "Build a CSV importer") => {
  const json = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  const value = sampleFromSchema(json, { text });
  const parsed = schema.safeParse(value);
  expect(parsed.error?.issues ?? [], JSON.stringify(value)).toEqual([]);
  return value;
};

describe("sampleFromSchema", () => {
  it("fills required properties only, strings from the text, within bounds", () => {
    const value = roundTrip(
      z.object({
        query: z.string(),
        short: z.string().max(5),
        long: z.string().min(40),
        optional: z.string().optional(),
      }),
    );
    expect(value).toEqual({ query: "Build a CSV importer", short: "Build", long: expect.stringMatching(/^Build a CSV importer/) });
  });

  it("honours enum, const, literal, pattern and formats", () => {
    const value = roundTrip(
      z.object({
        kind: z.enum(["alpha", "beta"]),
        fixed: z.literal("v1"),
        id: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/),
        code: z.string().regex(/^[A-Z]{2}\d$/),
        digits: z.string().regex(/^\d+$/),
        url: z.url(),
        email: z.email(),
        when: z.iso.datetime(),
        uuid: z.uuid(),
      }),
    );
    expect(value).toMatchObject({ kind: "alpha", fixed: "v1", id: "build-a-csv-importer", code: "AA0", digits: "1", url: "https://example.com/" });
  });

  it("keeps numbers and integers within their bounds", () => {
    const value = roundTrip(
      z.object({
        ms: z.number().int().min(0).max(3_600_000),
        positive: z.number().int().positive(),
        negative: z.number().max(-3),
        ratio: z.number().gt(0).lt(1),
        step: z.number().int().min(7).multipleOf(5),
        flag: z.boolean(),
        nothing: z.null(),
      }),
    );
    expect(value).toEqual({ ms: 0, positive: 1, negative: -3, ratio: 0.5, step: 10, flag: false, nothing: null });
  });

  it("builds arrays with minItems and distinct unique items, tuples, records and nested objects", () => {
    const value = roundTrip(
      z.object({
        tags: z.array(z.string()).min(3),
        pair: z.tuple([z.string(), z.number()]),
        nested: z.object({ name: z.string().min(1), items: z.array(z.object({ n: z.number().int().min(2) })) }),
        record: z.record(z.string(), z.number()),
      }),
    );
    expect(value).toMatchObject({ pair: ["Build a CSV importer", 0], nested: { items: [{ n: 2 }] } });
    expect((value as { tags: string[] }).tags).toHaveLength(3);
    const unique = (items: object) => sampleFromSchema({ type: "array", minItems: 3, uniqueItems: true, items }, { text: "tag" });
    expect(unique({ enum: ["a", "b", "c"] })).toEqual(["a", "b", "c"]);
    expect(unique({ type: "string" })).toEqual(["tag", "tag (2)", "tag (3)"]);
    expect(unique({ type: "integer", minimum: 1 })).toEqual([1, 2, 3]);
  });

  it("takes the first non-null branch of anyOf/oneOf, merges allOf and follows local $refs", () => {
    const value = sampleFromSchema(
      {
        type: "object",
        required: ["a", "b", "c", "d", "e"],
        properties: {
          a: { anyOf: [{ type: "null" }, { type: "integer", minimum: 4 }] },
          b: { oneOf: [{ const: "first" }, { const: "second" }] },
          c: { allOf: [{ type: "object", required: ["x"], properties: { x: { type: "string" } } }, { required: ["y"], properties: { y: { type: "boolean" } } }] },
          d: { $ref: "#/$defs/node" },
          e: { type: ["string", "null"], minLength: 2, maxLength: 3 },
        },
        $defs: { node: { type: "object", required: ["value"], properties: { value: { type: "number", minimum: 1.5 }, next: { $ref: "#/$defs/node" } } } },
      },
      { text: "hello world" },
    );
    expect(value).toEqual({ a: 4, b: "first", c: { x: "hello world", y: false }, d: { value: 1.5 }, e: "hel" });
  });

  it("uses defaults, is deterministic and falls back to 'offline' without text", () => {
    const schema = { type: "object", required: ["q", "n"], properties: { q: { type: "string" }, n: { type: "integer", default: 7 } } };
    expect(sampleFromSchema(schema)).toEqual({ q: "offline", n: 7 });
    expect(sampleFromSchema(schema, { text: "x" })).toEqual(sampleFromSchema(schema, { text: "x" }));
  });

  it("prefers given string candidates when they fit the pattern, else derives one from the pattern", () => {
    expect(sampleString({ type: "string", pattern: "^[a-z]+$" }, ["Nope!", "yes"])).toBe("yes");
    expect(exampleOfPattern("^(foo|bar)-[^a-z]+\\.v\\d{2,}(-rc)?$")).toBe("foo-0.v00");
    expect(exampleOfPattern("^(?=lookahead)")).toBeUndefined();
    expect(slug("Build a CSV importer, now!")).toBe("build-a-csv-importer");
  });
});

describe("offlineToolInput", () => {
  const stepSchema = z.object({
    id: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/),
    title: z.string().min(1).max(200),
    goal: z.string().min(1).max(4000),
    depends_on: z.array(z.string()).max(50).default([]),
    service: z.enum(["nexus", "smith", "human", "tool"]),
    instruction: z.string().max(20_000).optional(),
    tool: z.string().max(100).optional(),
  });
  const planSchema = z.object({ summary: z.string().min(1).max(4000), steps: z.array(stepSchema).min(1).max(30) });

  it("answers a plan-shaped schema with chained steps whose ids are unique and dependencies known", () => {
    const json = z.toJSONSchema(planSchema, { io: "input" }) as Record<string, unknown>;
    expect(planStepsProperty(json)?.name).toBe("steps");
    const input = offlineToolInput(json, "Build a CSV importer");
    const plan = planSchema.parse(input);
    expect(plan.summary).toMatch(/^\[offline\] A 3-step plan for "Build a CSV importer"/);
    expect(plan.steps.map((s) => [s.id, s.depends_on, s.service])).toEqual([
      ["understand", [], "nexus"],
      ["draft", ["understand"], "nexus"],
      ["review", ["understand", "draft"], "nexus"],
    ]);
    expect(plan.steps[0]!.goal).toContain("Build a CSV importer");
    expect(plan.steps.every((s) => s.tool === undefined)).toBe(true);
  });

  it("fits the plan to the schema's limits and samples other schemas generically", () => {
    const one = z.object({ summary: z.string().max(20), steps: z.array(stepSchema).max(1) });
    const json = z.toJSONSchema(one, { io: "input" }) as Record<string, unknown>;
    const plan = one.parse(offlineToolInput(json, "Tidy up"));
    expect(plan.steps).toHaveLength(1);
    expect(plan.summary).toHaveLength(20);
    expect(offlineToolInput({ type: "object", required: ["city"], properties: { city: { type: "string" } } }, "Paris")).toEqual({ city: "Paris" });
  });
});
