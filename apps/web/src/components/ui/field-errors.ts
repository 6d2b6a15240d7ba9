import type { z } from "zod";

/** Client-side validation with the server's own zod schema: the first message per field. */
export function fieldErrors<S extends z.ZodType>(schema: S, value: unknown) {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { data: parsed.data as z.output<S>, errors: {} as Record<string, string> };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
  return { data: null, errors };
}
