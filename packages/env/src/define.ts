import { z } from "zod";

export class EnvError extends Error {
  override name = "EnvError";
}

type Shape = Record<string, z.ZodType>;

/**
 * Reads and validates environment variables. `devDefaults` apply only when NODE_ENV is not
 * "production": in production a missing variable stops the process with its name.
 */
export function defineEnv<S extends Shape>(
  shape: S,
  devDefaults: { [K in keyof S]?: string },
  source: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const production = source.NODE_ENV === "production";
  const input: Record<string, string | undefined> = {};
  const missing: string[] = [];
  for (const key of Object.keys(shape)) {
    const given = source[key];
    if (given !== undefined && given !== "") input[key] = given;
    else if (production && devDefaults[key] !== undefined) missing.push(key);
    else input[key] = devDefaults[key];
  }
  if (missing.length > 0) {
    throw new EnvError(
      `Missing required environment variable${missing.length > 1 ? "s" : ""} in production: ${missing.join(", ")}`,
    );
  }
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment: ${problems.join("; ")}`);
  }
  return parsed.data;
}

export const port = (fallback?: number) =>
  fallback === undefined
    ? z.coerce.number().int().min(1).max(65535)
    : z.coerce.number().int().min(1).max(65535).default(fallback);
