// One error type for everything that stops a deployment; its message is shown to the user as is.
import type { z } from "zod";
import type { DeployStepName } from "./types";

export class DeployError extends Error {
  constructor(
    message: string,
    readonly step?: DeployStepName,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DeployError";
  }
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Parses options, turning zod issues into one sentence the caller can act on. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
  throw new DeployError(`Invalid deployment options — ${problems.join("; ")}`);
}
