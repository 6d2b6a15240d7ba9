// Every /api route but login needs a session; the signed-in user is resolved once per request.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EndUser } from "../config/schema";
import type { AppContext } from "../context";
import { AppError } from "../errors";
import { cookieOf, readSession, SESSION_COOKIE } from "./session";

const PUBLIC = new Set(["/api/auth/login", "/api/auth/logout"]);
const signedIn = new WeakMap<FastifyRequest, EndUser>();

export function sessionGuard(app: FastifyInstance, ctx: AppContext) {
  app.addHook("onRequest", async (request) => {
    const route = request.url.split("?")[0]!;
    if (!route.startsWith("/api/") || PUBLIC.has(route)) return;
    const email = readSession(ctx.secrets.session_secret, cookieOf(request.headers.cookie, SESSION_COOKIE));
    const user = email ? ctx.users.get(email) : undefined;
    if (!user) throw new AppError("UNAUTHORIZED", "Sign in first (your session is missing or has expired)");
    signedIn.set(request, user);
  });
}

export function userOf(request: FastifyRequest): EndUser {
  const user = signedIn.get(request);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
  return user;
}
