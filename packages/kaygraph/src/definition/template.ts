// `{{input.topic}}`, `{{results.research}}`: values from a definition run's shared state placed into
// text. Plain lookups only — nothing in a template is ever evaluated.

/** The shared state of a graph run from a definition: its input and each node's result by id. */
export interface TemplateState {
  input: Record<string, unknown>;
  results: Record<string, unknown>;
}

export function renderTemplate(template: string, state: TemplateState): string {
  return template.replace(/\{\{\s*([a-zA-Z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g, (_m, path: string) => {
    let value: unknown = state;
    for (const key of path.split(".")) {
      value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined) return "";
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}
