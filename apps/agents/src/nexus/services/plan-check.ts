// Checks a candidate plan: the schema, then what a schema cannot say (unique step ids, known
// dependencies, no cycles) and, through the graph it becomes, that its tool steps are runnable.
import { plan as planSchema, type Plan } from "@kayos/contracts";
import { definitionIssues } from "../graph/validate";
import { planToGraph } from "./plan-to-graph";

export type PlanCheck = { ok: true; plan: Plan } | { ok: false; issues: string[] };

export function checkPlan(candidate: unknown): PlanCheck {
  const parsed = planSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(plan)"}: ${i.message}`) };
  const plan = parsed.data;
  const issues: string[] = [];
  const ids = new Set<string>();
  plan.steps.forEach((s, i) => {
    if (ids.has(s.id)) issues.push(`steps.${i}.id: duplicate step id "${s.id}"`);
    ids.add(s.id);
  });
  plan.steps.forEach((s, i) => {
    for (const d of s.depends_on) if (!ids.has(d)) issues.push(`steps.${i}.depends_on: unknown step "${d}"`);
    if (s.service === "tool" && !s.tool) issues.push(`steps.${i}.tool: required for a tool step`);
  });
  if (issues.length === 0 && order(plan) === null) issues.push("steps: the dependencies form a cycle");
  if (issues.length === 0) {
    for (const i of definitionIssues(planToGraph(plan, "check"))) issues.push(`graph ${i.path}: ${i.message}`);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, plan };
}

/** Steps in an order that respects dependencies (stable), or null when they form a cycle. */
export function order(plan: Plan): Plan["steps"] | null {
  const done = new Set<string>();
  const result: Plan["steps"] = [];
  let remaining = [...plan.steps];
  while (remaining.length > 0) {
    const ready = remaining.filter((s) => s.depends_on.every((d) => done.has(d)));
    if (ready.length === 0) return null;
    for (const s of ready) {
      done.add(s.id);
      result.push(s);
    }
    remaining = remaining.filter((s) => !done.has(s.id));
  }
  return result;
}
