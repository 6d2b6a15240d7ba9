// `{{input.topic}}`, `{{results.research}}`: values from the run's shared state placed into text.
// Plain lookups only — nothing in a template is ever evaluated.
export interface Shared {
  input: Record<string, unknown>;
  results: Record<string, unknown>;
}

export function render(template: string, shared: Shared): string {
  return template.replace(/\{\{\s*([a-zA-Z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g, (_m, path: string) => {
    let value: unknown = shared;
    for (const key of path.split(".")) {
      value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined) return "";
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}
