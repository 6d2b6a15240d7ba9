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
  const issues = restIssues(parsed.error.issues);
  return restError(400, "invalid_request", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

type Issue = z.core.$ZodIssue;
const missing = (i: Issue) => i.code === "invalid_type" && i.message.endsWith("received undefined");

/**
 * Issues as `{path, message}`. A body that matches none of a union's forms (`{agentId}` or
 * `{agent_type, …}`) is described by the form it came closest to (fewest missing fields), not
 * as a bare "Invalid input".
 */
export function restIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): { path: string; message: string }[] {
  return issues.flatMap((i) => {
    const path = [...prefix, ...i.path];
    if (i.code === "invalid_union" && i.errors.length > 0) {
      const score = (branch: Issue[]) => branch.filter(missing).length;
      const best = Math.min(...i.errors.map(score));
      const closest = i.errors.filter((branch) => score(branch) === best);
      if (closest.length === 1) return restIssues(closest[0]!, path);
    }
    return [{ path: path.map(String).join(".") || "(body)", message: i.message }];
  });
}
