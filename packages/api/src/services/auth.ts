// Sign-in and bearer tokens for the REST surface. Access tokens are short JWTs holding only the
// user id; roles are looked up per request so a revoked membership takes effect at once.
import type { ControlDb } from "@kayos/db/control";
import { hashPassword, verifyPassword } from "@kayos/db/secrets";
import { jwtVerify, SignJWT } from "jose";

const ISSUER = "kayos";
const AUDIENCE = "kayos-api";

export async function authenticate(db: ControlDb, email: string, password: string) {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  // Verify against a hash even for unknown emails so timing does not reveal which emails exist.
  const ok = await verifyPassword(user?.passwordHash ?? (await (dummyHash ??= hashPassword("no such user"))), password);
  if (!user || !ok) return null;
  return { id: user.id, email: user.email, name: user.name };
}

let dummyHash: Promise<string> | undefined;

const key = (secret: string) => new TextEncoder().encode(secret);

export async function issueAccessToken(userId: string, secret: string, ttlSeconds = 3600) {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
  return { token, expiresIn: ttlSeconds };
}

/** The user id of a valid access token, or null. */
export async function verifyAccessToken(token: string, secret: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience: AUDIENCE });
    return payload.sub ?? null;
  } catch {
    return null;
  }
}
