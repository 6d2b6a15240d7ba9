import "server-only";
import { authenticate } from "@kayos/api";
import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "./db";
import { env } from "./env";

const credentials = z.object({ email: z.email(), password: z.string().min(1) });

// Kept out of route.ts (exporting it from a route module breaks the Next build), and built on first
// use because the secret is only known at run time.
let options: NextAuthOptions | undefined;
export const authOptions = (): NextAuthOptions =>
  (options ??= {
    secret: env().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 60 * 60 * 12 },
    pages: { signIn: "/sign-in" },
    providers: [
      Credentials({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(raw) {
          const parsed = credentials.safeParse(raw);
          if (!parsed.success) return null;
          return authenticate(db(), parsed.data.email, parsed.data.password);
        },
      }),
    ],
    callbacks: {
      // Only the user id travels in the token; roles are looked up per request.
      jwt: ({ token, user }) =>
        user ? { sub: user.id, name: user.name, email: user.email } : token,
      session: ({ session, token }) => ({
        ...session,
        user: { ...session.user, id: token.sub ?? "" },
      }),
    },
  });
