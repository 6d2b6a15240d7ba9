// The input the offline responder gives a tool the request forces. Generic schemas get a sample
// (see schema-sample.ts); a plan-shaped schema (a list of steps with `id` and `depends_on`, like
// KayNexus's `submit_plan`) gets a short plan whose ids are unique and whose dependencies name
// earlier steps, since ids referencing each other are beyond what generic sampling can get right.
import { flattenSchema, type JsonSchema, sampleFromSchema, sampleString } from "./schema-sample";

type SchemaObject = { [keyword: string]: unknown };

const isObject = (value: unknown): value is SchemaObject => typeof value === "object" && value !== null && !Array.isArray(value);

function propertiesOf(schema: SchemaObject): Record<string, JsonSchema> {
  return isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
}

/** The property of an object schema holding plan steps (array of objects with `id` and `depends_on`), if any. */
export function planStepsProperty(schema: JsonSchema): { name: string; array: SchemaObject; item: SchemaObject } | undefined {
  const root = flattenSchema(schema);
  for (const [name, property] of Object.entries(propertiesOf(root))) {
    const array = flattenSchema(property, schema);
    if (array.type !== "array" || !isObject(array.items)) continue;
    const item = flattenSchema(array.items, schema);
    const fields = propertiesOf(item);
    if ("id" in fields && "depends_on" in fields) return { name, array, item };
  }
  return undefined;
}

interface StepText {
  id: string;
  title: string;
  goal: string;
  instruction: string;
}

function stepTexts(task: string): StepText[] {
  return [
    {
      id: "understand",
      title: "Clarify the task",
      goal: `Work out what "${task}" needs: the expected result, its inputs and its constraints.`,
      instruction: `List the requirements, inputs and constraints of this task: ${task}`,
    },
    {
      id: "draft",
      title: "Do the work",
      goal: `Produce the result for "${task}", following the requirements from the previous step.`,
      instruction: `Produce the result for this task, following the requirements found earlier: ${task}`,
    },
    {
      id: "review",
      title: "Review and summarise",
      goal: "Check the result against the requirements, fix what falls short and summarise it.",
      instruction: "Check the result against the requirements, note anything missing and give a short summary.",
    },
  ];
}

function numberOf(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A plan: 3 steps (within the schema's min/max items) chained by `depends_on`, text from the task. */
function planInput(schema: JsonSchema, steps: NonNullable<ReturnType<typeof planStepsProperty>>, task: string): Record<string, unknown> {
  const sampled = sampleFromSchema(schema, { text: task });
  const input: Record<string, unknown> = isObject(sampled) ? sampled : {};
  const fields = propertiesOf(steps.item);
  const count = Math.max(1, Math.min(Math.max(3, numberOf(steps.array.minItems) ?? 0), numberOf(steps.array.maxItems) ?? 3));
  const texts = stepTexts(task);
  const maxDeps = numberOf(flattenSchema(fields.depends_on ?? {}, schema).maxItems) ?? Number.POSITIVE_INFINITY;
  const ids: string[] = [];
  const list = Array.from({ length: count }, (_, i) => {
    const text = texts[i] ?? { id: `step-${i + 1}`, title: `Step ${i + 1}`, goal: `Continue "${task}".`, instruction: `Continue this task: ${task}` };
    const base = sampleFromSchema(steps.item, { text: text.title, root: schema });
    const step: Record<string, unknown> = isObject(base) ? base : {};
    let id = sampleString(fields.id ?? {}, [text.id, `step${i + 1}`, `s${i + 1}`], { name: "id", index: i, root: schema });
    if (ids.includes(id)) id = sampleString(fields.id ?? {}, [`${text.id}-${i + 1}`, `step${i + 1}`], { name: "id", index: i, root: schema });
    // The last step reads everything before it; the others follow the previous step.
    const dependsOn = i === 0 ? [] : i === count - 1 && count > 2 ? ids.slice(-Math.min(2, maxDeps)) : [ids[i - 1]!];
    ids.push(id);
    step.id = id;
    step.depends_on = dependsOn;
    for (const key of ["title", "goal", "instruction"] as const) {
      if (key in fields) step[key] = sampleString(fields[key]!, [text[key]], { name: key, root: schema });
    }
    return step;
  });
  input[steps.name] = list;
  const summary = propertiesOf(flattenSchema(schema)).summary;
  if (summary !== undefined) {
    const titles = texts.slice(0, count).map((t) => t.title.toLowerCase());
    input.summary = sampleString(summary, [`[offline] A ${count}-step plan for "${task}": ${titles.join(", then ")}. Written by the local Messages API server, not by Claude.`], { name: "summary", root: schema });
  }
  return input;
}

/** The input for a forced call to a tool with this `input_schema`, derived from the task text. */
export function offlineToolInput(schema: JsonSchema, task: string): Record<string, unknown> {
  const steps = planStepsProperty(schema);
  if (steps) return planInput(schema, steps, task);
  const sampled = sampleFromSchema(schema, { text: task });
  return isObject(sampled) ? sampled : {};
}
