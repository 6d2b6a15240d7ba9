// tRPC in three parts: the context (independent of Next, so routers are tested with createCaller),
// initialisation with one error formatter, and the procedures every router builds on.
import type { ControlDb } from "@kayos/db/control";
import type { Action, Resource } from "@kayos/db/roles";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { authorizerFor, type Authorizer } from "./authz/enforcer";
import { AppError, toTRPCError } from "./errors";

export interface ContextOptions {
  db: ControlDb;
  /** The signed-in user's id (from the next-auth session or a bearer token), or null. */
  userId: string | null;
  /** The organization the caller acts in (x-kayos-org header / cookie); default: their first. */
  organizationId?: string | null;
  config: { encryptionKey: string; serviceTimeoutMs: number; commandCenterReleaseDir?: string };
  requestId?: string;
  authz?: Authorizer;
  /** Set when the caller authenticated with an API token: its organization and allowed actions. */
  token?: { id: string; organizationId: string; scopes: Action[] } | null;
}

export function createContextInner(opts: ContextOptions) {
  return {
    db: opts.db,
    userId: opts.userId,
    organizationId: opts.organizationId ?? null,
    config: opts.config,
    requestId: opts.requestId ?? crypto.randomUUID(),
    authz: opts.authz ?? authorizerFor(opts.db),
    token: opts.token ?? null,
  };
}
export type Context = ReturnType<typeof createContextInner>;

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: {
      ...shape.data,
      stack: undefined,
      zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
    },
  }),
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** AppErrors thrown anywhere below become their tRPC code, with their message kept. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(appErrors);

export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  // Re-load the user per request: a deleted account loses access at once, whatever its token says.
  const user = await ctx.db.user.findUnique({ where: { id: ctx.userId }, select: { id: true, email: true, name: true } });
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists; sign in again" });
  return next({ ctx: { ...ctx, user } });
});

/**
 * A procedure for one resource and action inside the caller's active organization: checks the
 * membership and the casbin policy, and hands the organization id and role to the resolver.
 */
export function orgProcedure(resource: Resource, action: Action) {
  return protectedProcedure.use(async ({ ctx, next }) => {
    // An API token acts only in its own organization and only with the actions it was given.
    const organizationId = ctx.token?.organizationId ?? ctx.organizationId;
    if (ctx.token && !ctx.token.scopes.includes(action)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This API token lacks the "${action}" scope` });
    }
    const membership = await ctx.db.membership.findFirst({
      where: { userId: ctx.user.id, ...(organizationId ? { organizationId } : {}) },
      orderBy: { createdAt: "asc" },
      select: { organizationId: true, role: true },
    });
    if (!membership) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: organizationId
          ? "You are not a member of this organization"
          : "You do not belong to any organization yet",
      });
    }
    if (!(await ctx.authz.can(membership.role, membership.organizationId, resource, action))) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `Your role (${membership.role}) may not ${action} ${resource} in this organization`,
      });
    }
    return next({ ctx: { ...ctx, org: { id: membership.organizationId, role: membership.role } } });
  });
}

const SECRET_FIELDS = /key|password|secret|token/i;

/** Input fields worth keeping in the audit log, with anything secret replaced at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.test(k) ? "[redacted]" : redactSecrets(v)]),
  );
}

/**
 * orgProcedure for changes: every successful mutation is recorded in the audit log (actor,
 * organization, resource, id, action, changed fields without secrets, request id) by this one
 * middleware, so no procedure can forget it.
 */
export function orgMutation(resource: Resource, action: Action) {
  return orgProcedure(resource, action).use(async ({ ctx, next, getRawInput, path }) => {
    const result = await next();
    if (result.ok) {
      const input = await getRawInput().catch(() => undefined);
      const data = result.data as { id?: unknown } | null | undefined;
      const inputId = (input as { id?: unknown } | undefined)?.id;
      const resourceId = typeof data?.id === "string" ? data.id : typeof inputId === "string" ? inputId : null;
      await ctx.db.auditEvent.create({
        data: {
          organizationId: ctx.org.id,
          actorId: ctx.user.id,
          resource,
          resourceId,
          action: path.split(".").at(-1) ?? action,
          changes: input && typeof input === "object" ? (redactSecrets(input) as object) : undefined,
          requestId: ctx.requestId,
        },
      });
    }
    return result;
  });
}
