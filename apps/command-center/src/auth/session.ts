// The session cookie: the user's email and an expiry, HMAC-signed with the secrets file's
// session_secret. The user is looked up again on every request, so removing them takes effect.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const SESSION_COOKIE = "kcc_session";
export const SESSION_TTL_MS = 7 * 24 * 3600_000;

const payload = z.object({ email: z.string(), exp: z.number() });

const sign = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("base64url");

export function createSession(secret: string, email: string, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ email, exp: now + SESSION_TTL_MS })).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

/** The email of a valid, unexpired session, else undefined. */
export function readSession(secret: string, value: string | undefined, now = Date.now()): string | undefined {
  if (!value) return undefined;
  const [body, mac] = value.split(".");
  if (!body || !mac) return undefined;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const parsed = payload.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success && parsed.data.exp > now ? parsed.data.email : undefined;
  } catch {
    return undefined;
  }
}

export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function sessionCookie(value: string, secure: boolean, maxAgeMs = SESSION_TTL_MS): string {
  return [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${Math.floor(maxAgeMs / 1000)}`, ...(secure ? ["Secure"] : [])].join("; ");
}
