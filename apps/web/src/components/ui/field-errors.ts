import type { z } from "zod";

/** Client-side validation with the server's own zod schema: the first message per field. */
export function fieldErrors<S extends z.ZodType>(schema: S, value: unknown) {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { data: parsed.data as z.output<S>, errors: {} as Record<string, string> };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
  return { data: null, errors };
}

type FlattenedZodError = { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> };

/**
 * What to tell the user about a failed call. An input the server's schema refused carries the zod
 * issues (trpc.ts's formatter), whose messages name the field; its `message` is raw JSON, never shown.
 */
export function errorMessages(error: { message: string; data?: unknown }): string[] {
  const zod = (error.data as { zodError?: FlattenedZodError | null } | null | undefined)?.zodError;
  if (zod) {
    // Flattened by top-level key only, so a nested input's problems share one key: keep them all.
    const messages = [...new Set([...zod.formErrors, ...Object.values(zod.fieldErrors).flatMap((m) => m ?? [])])];
    if (messages.length > 0) return messages;
  }
  return [error.message];
}
