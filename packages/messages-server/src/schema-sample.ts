// A small, deterministic sampler from JSON Schema: given a tool's `input_schema` it builds one
// value that validates against it, the way the model must when a request forces a tool. It covers
// what tool schemas use (zod's `toJSONSchema` output included): objects with required properties,
// strings (enum, const, format, minLength/maxLength, pattern tried against candidates), numbers and
// integers within their bounds, booleans, null, arrays (minItems, items, prefixItems), anyOf/oneOf
// (first non-null branch), allOf (merged) and local `$ref`s. It is loose where schemas get exotic
// (a pattern no candidate matches keeps the closest candidate); no randomness, no clock.

export type JsonSchema = boolean | { [keyword: string]: unknown };
type SchemaObject = { [keyword: string]: unknown };

export interface SampleOptions {
  /** Free text to fill strings with (e.g. the user's last message); "offline" when empty. */
  text?: string;
  /** The document local `$ref`s point into (default: the schema itself). */
  root?: JsonSchema;
}

interface Context {
  root: JsonSchema;
  text: string;
  /** The property the value is for (used for slugs), "" at the top. */
  name: string;
  /** Position in an array of unique items (0 elsewhere), so such items differ. */
  index: number;
  depth: number;
}

const MAX_DEPTH = 24;

const formats: Record<string, string> = {
  "date-time": "2025-01-01T00:00:00Z",
  date: "2025-01-01",
  time: "00:00:00Z",
  duration: "P1D",
  email: "offline@example.com",
  "idn-email": "offline@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  iri: "https://example.com/",
  "uri-reference": "https://example.com/",
  hostname: "example.com",
  "idn-hostname": "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  uuid: "00000000-0000-4000-8000-000000000000",
};

const isObject = (value: unknown): value is SchemaObject => typeof value === "object" && value !== null && !Array.isArray(value);
const numberOf = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const lengthOf = (text: string): number => [...text].length;

/** A lower-case slug of the text's first words: "Build a CSV importer" → "build-a-csv-importer". */
export function slug(text: string, maxWords = 4): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9\s_-]/g, " ")
    .trim()
    .split(/[\s_-]+/)
    .filter(Boolean)
    .slice(0, maxWords)
    .join("-");
}

/** Resolves a local `$ref` (`#/$defs/x`, `#/definitions/x`, `#`); undefined when it cannot. */
function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith("#")) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(at)) return undefined;
    at = at[key];
  }
  return isObject(at) || typeof at === "boolean" ? at : undefined;
}

/** The schema with its `$ref`s followed and `allOf` merged (shallowly: properties and required joined). */
export function flattenSchema(schema: JsonSchema, root: JsonSchema = schema, depth = 0): SchemaObject {
  if (!isObject(schema) || depth > MAX_DEPTH) return {};
  let out: SchemaObject = { ...schema };
  if (typeof out.$ref === "string") {
    const { $ref, ...rest } = out;
    out = { ...flattenSchema(resolveRef(root, $ref as string) ?? {}, root, depth + 1), ...rest };
  }
  if (Array.isArray(out.allOf)) {
    const { allOf, ...rest } = out;
    out = {};
    for (const part of [...(allOf as JsonSchema[]).map((s) => flattenSchema(s, root, depth + 1)), rest]) {
      const merged: SchemaObject = { ...out, ...part };
      if (isObject(out.properties) && isObject(part.properties)) merged.properties = { ...out.properties, ...part.properties };
      if (Array.isArray(out.required) && Array.isArray(part.required)) merged.required = [...new Set([...out.required, ...part.required])];
      out = merged;
    }
  }
  return out;
}

function typeOf(schema: SchemaObject): string {
  const types = Array.isArray(schema.type) ? (schema.type as unknown[]) : [schema.type];
  const declared = types.find((t) => t !== "null") ?? types[0];
  if (typeof declared === "string") return declared;
  if ("properties" in schema || "required" in schema || "additionalProperties" in schema) return "object";
  if ("items" in schema || "prefixItems" in schema || "minItems" in schema) return "array";
  if ("minimum" in schema || "maximum" in schema || "exclusiveMinimum" in schema || "exclusiveMaximum" in schema) return "number";
  return "string";
}

function patternOf(schema: SchemaObject): RegExp | undefined {
  if (typeof schema.pattern !== "string") return undefined;
  try {
    return new RegExp(schema.pattern, "u");
  } catch {
    return undefined;
  }
}

const escapes: Record<string, string> = { d: "0", D: "a", w: "a", W: "-", s: " ", S: "a", n: "\n", t: "\t", r: "\r" };

/**
 * The shortest string a simple regular expression matches: literals, `.`, classes (`[a-z]`, `[^…]`),
 * `\d \w \s`, groups with `|` (first branch) and the quantifiers `? * + {n} {n,} {n,m}`. Undefined
 * for syntax beyond that (lookarounds, back-references), where other candidates must do.
 */
export function exampleOfPattern(source: string): string | undefined {
  let at = 0;
  const classMember = (): string => {
    const char = source[at++]!;
    if (char !== "\\") return char;
    const next = source[at++] ?? "";
    return escapes[next] ?? next;
  };
  const classChar = (): string | undefined => {
    // [ … ]: the first member, or for a negated class a common character it leaves out.
    const negated = source[at] === "^";
    if (negated) at++;
    const members: string[] = [];
    while (at < source.length && source[at] !== "]") {
      const from = classMember();
      if (source[at] === "-" && at + 1 < source.length && source[at + 1] !== "]") {
        at++;
        const to = classMember();
        for (let c = from.codePointAt(0)!; c <= to.codePointAt(0)! && members.length < 512; c++) members.push(String.fromCodePoint(c));
      } else members.push(from);
    }
    if (source[at] !== "]") return undefined;
    at++;
    if (!negated) return members[0];
    return ["a", "x", "0", "-", "_", " ", "A"].find((c) => !members.includes(c));
  };
  const alternatives = (): string | undefined => {
    let first: string | undefined;
    let current = "";
    let inFirst = true;
    while (at < source.length && source[at] !== ")") {
      if (source[at] === "|") {
        at++;
        if (inFirst) first = current;
        inFirst = false;
        current = "";
        continue;
      }
      const char = source[at++]!;
      let atom: string | undefined;
      if (char === "^" || char === "$") atom = "";
      else if (char === ".") atom = "a";
      else if (char === "\\") {
        const next = source[at++];
        if (next === undefined || /[1-9bBk]/.test(next)) return undefined;
        atom = escapes[next] ?? next;
      } else if (char === "[") atom = classChar();
      else if (char === "(") {
        if (source[at] === "?") {
          if (source[at + 1] !== ":") return undefined;
          at += 2;
        }
        atom = alternatives();
        if (source[at] !== ")") return undefined;
        at++;
      } else atom = char;
      if (atom === undefined) return undefined;
      let times = 1;
      const quantifier = /^(?:\?|\*|\+|\{(\d+)(?:,(\d*))?\})/.exec(source.slice(at));
      if (quantifier) {
        at += quantifier[0].length;
        times = quantifier[0] === "+" ? 1 : quantifier[1] !== undefined ? Number(quantifier[1]) : 0;
        if (source[at] === "?") at++;
      }
      current += atom.repeat(times);
    }
    return inFirst ? current : first;
  };
  const result = alternatives();
  return at === source.length ? result : undefined;
}

/** Cuts or pads a candidate to the schema's length bounds. */
function fitLength(candidate: string, schema: SchemaObject): string {
  const min = numberOf(schema.minLength) ?? 0;
  const max = numberOf(schema.maxLength) ?? Number.POSITIVE_INFINITY;
  let chars = [...candidate];
  if (chars.length > max) chars = chars.slice(0, Math.max(0, max));
  while (chars.length < min) chars.push(...[..."x".repeat(min - chars.length)]);
  return chars.join("");
}

/**
 * A string for the schema, preferring the given candidates in order: the first that fits the
 * length bounds and the pattern wins (after cutting or padding); then generic fallbacks.
 */
export function sampleString(schema: JsonSchema, preferred: string[] = [], options: SampleOptions & { name?: string; index?: number } = {}): string {
  const flat = flattenSchema(schema, options.root ?? schema);
  const text = options.text?.trim() || "offline";
  const name = options.name ?? "";
  const index = options.index ?? 0;
  const suffix = index > 0 ? `-${index + 1}` : "";
  const format = typeof flat.format === "string" ? formats[flat.format] : undefined;
  const base = [
    ...preferred,
    ...(format ? [format] : []),
    index > 0 ? `${text} (${index + 1})` : text,
    slug(text) + suffix,
    slug(name) + suffix,
    name + suffix,
    `example${suffix}`,
    `a${suffix}`,
    `x${index + 1}`,
    String(index + 1),
    `A${index + 1}`,
    `${index}`,
    ...(typeof flat.pattern === "string" ? [exampleOfPattern(flat.pattern) ?? ""] : []),
  ].filter((c) => c.length > 0);
  const pattern = patternOf(flat);
  const fitted = base.map((candidate) => fitLength(candidate, flat));
  const fits = (value: string) => {
    const min = numberOf(flat.minLength) ?? 0;
    const max = numberOf(flat.maxLength) ?? Number.POSITIVE_INFINITY;
    return lengthOf(value) >= min && lengthOf(value) <= max && (!pattern || pattern.test(value));
  };
  return fitted.find(fits) ?? fitted[0] ?? "";
}

function sampleNumber(schema: SchemaObject, integer: boolean, index: number): number {
  const step = integer ? 1 : 0.5;
  let lo = numberOf(schema.minimum);
  let hi = numberOf(schema.maximum);
  // Draft 2019+ exclusive bounds are numbers; draft 4 used booleans beside minimum/maximum.
  const exclusiveLo = numberOf(schema.exclusiveMinimum) ?? (schema.exclusiveMinimum === true ? lo : undefined);
  const exclusiveHi = numberOf(schema.exclusiveMaximum) ?? (schema.exclusiveMaximum === true ? hi : undefined);
  if (exclusiveLo !== undefined) lo = Math.max(lo ?? -Infinity, exclusiveLo + step);
  if (exclusiveHi !== undefined) hi = Math.min(hi ?? Infinity, exclusiveHi - step);
  if (integer) {
    if (lo !== undefined) lo = Math.ceil(lo);
    if (hi !== undefined) hi = Math.floor(hi);
  }
  let value = (lo ?? (hi !== undefined && hi < 0 ? hi : 0)) + index;
  const multipleOf = numberOf(schema.multipleOf);
  if (multipleOf && multipleOf > 0) value = Math.ceil(value / multipleOf) * multipleOf;
  if (hi !== undefined && value > hi) value = lo !== undefined ? Math.max(lo, hi) : hi;
  return value;
}

function sampleArray(schema: SchemaObject, ctx: Context): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as JsonSchema[]) : [];
  const items = schema.items;
  const min = numberOf(schema.minItems) ?? 0;
  const max = items === false ? prefix.length : numberOf(schema.maxItems) ?? Number.POSITIVE_INFINITY;
  // One item when allowed (an empty list rarely reads as an answer), more only when required.
  const count = Math.min(Math.max(min, prefix.length, 1), max);
  const unique = schema.uniqueItems === true;
  return Array.from({ length: count }, (_, i) =>
    sampleAt(i < prefix.length ? prefix[i]! : isObject(items) || typeof items === "boolean" ? items : {}, {
      ...ctx,
      index: unique ? i : 0,
      depth: ctx.depth + 1,
    }),
  );
}

function sampleObject(schema: SchemaObject, ctx: Context): Record<string, unknown> {
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]).filter((k): k is string => typeof k === "string") : [];
  const extra = isObject(schema.additionalProperties) ? (schema.additionalProperties as JsonSchema) : {};
  const keys = [...required];
  // Optional properties only when minProperties asks for more than the required ones.
  const minProperties = numberOf(schema.minProperties) ?? 0;
  for (const key of Object.keys(properties)) if (keys.length < minProperties && !keys.includes(key)) keys.push(key);
  while (keys.length < minProperties) keys.push(`property${keys.length + 1}`);
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = sampleAt(properties[key] ?? extra, { ...ctx, name: key, index: 0, depth: ctx.depth + 1 });
  return out;
}

function sampleAt(schema: JsonSchema, ctx: Context): unknown {
  if (ctx.depth > MAX_DEPTH) return null;
  const flat = flattenSchema(schema, ctx.root);
  if ("const" in flat) return flat.const;
  if (Array.isArray(flat.enum) && flat.enum.length > 0) return flat.enum[ctx.index % flat.enum.length];
  if ("default" in flat && flat.default !== undefined && ctx.index === 0) return flat.default;
  const branches = (Array.isArray(flat.anyOf) ? flat.anyOf : Array.isArray(flat.oneOf) ? flat.oneOf : undefined) as JsonSchema[] | undefined;
  if (branches && branches.length > 0) {
    // The first branch that is not just `null` (an optional value is better shown than left null).
    const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = flat;
    const branch = branches.find((b) => !(isObject(b) && b.type === "null")) ?? branches[0]!;
    return sampleAt({ allOf: [rest, branch] }, { ...ctx, depth: ctx.depth + 1 });
  }
  switch (typeOf(flat)) {
    case "object":
      return sampleObject(flat, ctx);
    case "array":
      return sampleArray(flat, ctx);
    case "integer":
      return sampleNumber(flat, true, ctx.index);
    case "number":
      return sampleNumber(flat, false, ctx.index);
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return sampleString(flat, [], { text: ctx.text, name: ctx.name, index: ctx.index });
  }
}

/** One value valid against `schema` (best effort for exotic keywords), deterministic for a given text. */
export function sampleFromSchema(schema: JsonSchema, options: SampleOptions = {}): unknown {
  return sampleAt(schema, { root: options.root ?? schema, text: options.text?.trim() || "offline", name: "", index: 0, depth: 0 });
}
