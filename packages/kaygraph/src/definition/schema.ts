/**
 * Config validation without a dependency: anything with zod's `safeParse` or `parse` shape
 * plugs in (zod, valibot adapters, hand-written validators).
 */
export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: unknown };

export type ConfigSchema<T> = { safeParse(value: unknown): SafeParseResult<T> } | { parse(value: unknown): T };

export interface SchemaIssue {
  path: string;
  message: string;
}

export type ParseOutcome<T> = { ok: true; data: T } | { ok: false; issues: SchemaIssue[] };

export function parseConfig<T>(schema: ConfigSchema<T>, value: unknown): ParseOutcome<T> {
  if ("safeParse" in schema) {
    const result = schema.safeParse(value);
    return result.success ? { ok: true, data: result.data } : { ok: false, issues: issuesOf(result.error) };
  }
  try {
    return { ok: true, data: schema.parse(value) };
  } catch (error) {
    return { ok: false, issues: issuesOf(error) };
  }
}

/** Reads zod-style `{ issues: [{ path, message }] }`, falling back to the error's message. */
function issuesOf(error: unknown): SchemaIssue[] {
  const issues = (error as { issues?: unknown } | null)?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return issues.map((issue: { path?: unknown; message?: unknown }) => ({
      path: Array.isArray(issue.path) ? issue.path.map(String).join(".") : "",
      message: typeof issue.message === "string" ? issue.message : String(issue.message),
    }));
  }
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "invalid config";
  return [{ path: "", message }];
}
