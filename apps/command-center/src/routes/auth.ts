// Sign in with the email and password from the secrets file; the session is a signed cookie.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { userOf } from "../auth/guard";
import { hashPassword, verifyPassword } from "../auth/password";
import { createSession, sessionCookie } from "../auth/session";
import type { AppContext } from "../context";
import { AppError, parse } from "../errors";
import { meView } from "../views";

const loginBody = z.object({
  email: z.email("enter your email address").transform((e) => e.toLowerCase()),
  password: z.string().min(1, "enter your password").max(500),
});

export function authRoutes(app: FastifyInstance, ctx: AppContext) {
  // Unknown emails cost a hash check too, so timing does not tell which accounts exist.
  const dummy = hashPassword("not a user of this command center");

  app.post("/api/auth/login", async (request, reply) => {
    const body = parse(loginBody, request.body, "body");
    const user = ctx.users.get(body.email);
    const ok = await verifyPassword(user?.password_hash ?? (await dummy), body.password);
    if (!user || !ok) throw new AppError("UNAUTHORIZED", "The email or password is wrong; check them or ask your administrator to reset your password");
    reply.header("set-cookie", sessionCookie(createSession(ctx.secrets.session_secret, user.email), request.protocol === "https"));
    return meView(user, ctx.config);
  });

  app.post("/api/auth/logout", async (request, reply) => {
    reply.header("set-cookie", sessionCookie("", request.protocol === "https", 0));
    return { ok: true };
  });

  app.get("/api/me", async (request) => meView(userOf(request), ctx.config));
}
