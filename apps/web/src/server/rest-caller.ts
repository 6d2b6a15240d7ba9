import "server-only";
import { createCaller, createContextInner } from "@kayos/api";
import { resolveBearer } from "@kayos/api/services/bearer";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { db } from "./db";
import { apiConfig, env } from "./env";
import { restError, restIssues } from "./rest";

export type Caller = ReturnType<typeof createCaller>;

/**
 * Runs the seed's REST surface on the tRPC procedures: authenticates the bearer (API token or
 * login token), calls the procedure, and maps its errors to HTTP statuses with the same messages.
 */
/** The caller a REST request's bearer (API token or login token) stands for, or a 401 answer. */
export async function bearerCaller(req: Request): Promise<Caller | NextResponse> {
  const header = req.headers.get("authorization") ?? "";
  const raw = header.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : "";
  if (!raw) return restError(401, "unauthorized", "Send `Authorization: Bearer <token>` (from POST /api/v1/auth/login or an API token)");
  const identity = await resolveBearer(db(), raw, env().AUTH_SECRET);
  if (!identity) return restError(401, "unauthorized", "The bearer token is invalid, expired or revoked");
  return createCaller(
    createContextInner({
      db: db(),
      userId: identity.userId,
      token: identity.token,
      organizationId: req.headers.get("x-kayos-org"),
      config: apiConfig(),
      requestId: req.headers.get("x-request-id") ?? undefined,
    }),
  );
}

/** A procedure's error as the REST surface's answer: its HTTP status and message, never a stack. */
export function restErrorOf(error: unknown): NextResponse {
  if (error instanceof TRPCError) {
    const code = getHTTPStatusCodeFromError(error);
    if (error.cause instanceof ZodError) {
      const issues = restIssues(error.cause.issues);
      return restError(400, "invalid_request", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
    }
    if (code < 500) return restError(code, error.code.toLowerCase(), error.message);
    if (code === 502 || code === 503) return restError(code, error.code.toLowerCase(), error.message);
  }
  console.error("REST call failed", error);
  return restError(500, "internal_error", "Something went wrong on our side; try again, and report it if it persists");
}

/**
 * Runs the seed's REST surface on the tRPC procedures: authenticates the bearer, calls the
 * procedure, and maps its errors to HTTP statuses with the same messages.
 */
export async function withCaller(req: Request, run: (caller: Caller) => Promise<unknown>, status = 200) {
  const caller = await bearerCaller(req);
  if (caller instanceof NextResponse) return caller;
  try {
    const result = await run(caller);
    return status === 204 ? new NextResponse(null, { status }) : NextResponse.json(result, { status });
  } catch (error) {
    return restErrorOf(error);
  }
}
