// Short-lived tokens with which a browser opens one Smith session's terminal WebSocket. A compact
// JWT (HS256) whose secret is hashToken(apiKey): the very hash Smith keeps in api_keys.key_hash, so
// the control plane signs with the key it holds and Smith verifies without ever holding the key.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { hashToken } from "./secrets";

export type TerminalTokenFailure = "malformed" | "bad_signature" | "expired" | "wrong_session";

export class TerminalTokenError extends Error {
  constructor(
    readonly reason: TerminalTokenFailure,
    message: string,
  ) {
    super(message);
    this.name = "TerminalTokenError";
  }
}

export interface TerminalTokenClaims {
  sub: string;
  org: string;
  exp: number;
  iat: number;
  jti: string;
}

const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
const MAX_TTL_SECONDS = 3600;

const sign = (input: string, keyHash: string) => createHmac("sha256", keyHash).update(input).digest();
const seconds = (now: number) => Math.floor(now / 1000);

export function signTerminalToken(opts: { sessionId: string; organizationId: string; apiKey: string; ttlSeconds?: number; now?: number }): string {
  const ttl = opts.ttlSeconds ?? 60;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}, got ${ttl}`);
  const iat = seconds(opts.now ?? Date.now());
  const claims: TerminalTokenClaims = { sub: opts.sessionId, org: opts.organizationId, exp: iat + ttl, iat, jti: randomUUID() };
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${input}.${sign(input, hashToken(opts.apiKey)).toString("base64url")}`;
}

/** The claims, unverified: only to pick which organization's keys to verify against. */
export function readTerminalTokenClaims(token: string): TerminalTokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== HEADER) throw new TerminalTokenError("malformed", "Malformed terminal token: expected an HS256 JWT");
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    throw new TerminalTokenError("malformed", "Malformed terminal token: the payload is not JSON");
  }
  const c = claims as Partial<Record<keyof TerminalTokenClaims, unknown>> | null;
  if (
    typeof c !== "object" || c === null ||
    typeof c.sub !== "string" || typeof c.org !== "string" || typeof c.jti !== "string" ||
    !Number.isInteger(c.exp) || !Number.isInteger(c.iat)
  ) {
    throw new TerminalTokenError("malformed", "Malformed terminal token: the payload needs sub, org, exp, iat and jti");
  }
  return c as TerminalTokenClaims;
}

/** Checks signature (against any of the organization's key hashes), expiry and session; throws why not. */
export function verifyTerminalToken(token: string, opts: { sessionId: string; keyHashes: string[]; now?: number }): { organizationId: string; sessionId: string } {
  const claims = readTerminalTokenClaims(token);
  const input = token.slice(0, token.lastIndexOf("."));
  const signature = Buffer.from(token.slice(input.length + 1), "base64url");
  const valid = opts.keyHashes.some((hash) => {
    const expected = sign(input, hash);
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  });
  if (!valid) throw new TerminalTokenError("bad_signature", "Terminal token signature does not match any API key of its organization (revoked key, or another organization's)");
  if (claims.exp <= seconds(opts.now ?? Date.now())) throw new TerminalTokenError("expired", "Terminal token has expired: ask the control plane for a new one");
  if (claims.sub !== opts.sessionId) throw new TerminalTokenError("wrong_session", `Terminal token is for session ${claims.sub}, not ${opts.sessionId}`);
  return { organizationId: claims.org, sessionId: claims.sub };
}
