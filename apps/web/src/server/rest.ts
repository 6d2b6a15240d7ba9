import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";

/** The REST surface's error shape: a code, a message that says what to do, and per-field issues. */
export function restError(status: number, error: string, message: string, issues?: { path: string; message: string }[]) {
  return NextResponse.json({ error, message, ...(issues ? { issues } : {}) }, { status });
}

/** Parses a JSON body against a schema, or answers 400 saying what was wrong. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S> | NextResponse> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    return restError(400, "invalid_json", "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
  return restError(400, "invalid_request", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}
