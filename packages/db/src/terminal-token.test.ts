import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashToken } from "./secrets";
import { readTerminalTokenClaims, signTerminalToken, TerminalTokenError, verifyTerminalToken } from "./terminal-token";

const KEY = "kay_live_terminal_token_key_a";
const OTHER_KEY = "kay_live_terminal_token_key_b";
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const token = (over: Partial<Parameters<typeof signTerminalToken>[0]> = {}) =>
  signTerminalToken({ sessionId: "sess_1", organizationId: "org_a", apiKey: KEY, now: NOW, ...over });

function failure(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof TerminalTokenError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error("expected a TerminalTokenError");
}

describe("terminal tokens", () => {
  it("round trip: a compact HS256 JWT keyed by hashToken(apiKey) that verifies against the stored hash", () => {
    const t = token({ ttlSeconds: 60 });
    const [header, payload, signature] = t.split(".");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toEqual({ sub: "sess_1", org: "org_a", iat: NOW / 1000, exp: NOW / 1000 + 60, jti: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // The signature is plain HMAC-SHA256 over `header.payload` with the key's stored hash as secret.
    expect(signature).toBe(createHmac("sha256", hashToken(KEY)).update(`${header}.${payload}`).digest("base64url"));
    expect(verifyTerminalToken(t, { sessionId: "sess_1", keyHashes: [hashToken(OTHER_KEY), hashToken(KEY)], now: NOW + 59_000 })).toEqual({
      organizationId: "org_a",
      sessionId: "sess_1",
    });
    expect(readTerminalTokenClaims(t).org).toBe("org_a");
    expect(token()).not.toBe(token());
  });

  it("expires after ttlSeconds", () => {
    const t = token({ ttlSeconds: 60 });
    expect(failure(() => verifyTerminalToken(t, { sessionId: "sess_1", keyHashes: [hashToken(KEY)], now: NOW + 60_000 }))).toMatchObject({
      reason: "expired",
      message: expect.stringMatching(/expired/),
    });
    expect(() => token({ ttlSeconds: 0 })).toThrow(/ttlSeconds/);
  });

  it("refuses a tampered payload", () => {
    const [header, payload, signature] = token().split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "sess_2", exp: (claims.exp as number) + 3600 })).toString("base64url");
    expect(failure(() => verifyTerminalToken(`${header}.${forged}.${signature}`, { sessionId: "sess_2", keyHashes: [hashToken(KEY)], now: NOW }))).toMatchObject({
      reason: "bad_signature",
    });
    for (const bad of ["", "a.b", `${header}.${payload}`, `${header}.!!!.${signature}`, `${header}.${Buffer.from("{}").toString("base64url")}.${signature}`]) {
      expect(failure(() => verifyTerminalToken(bad, { sessionId: "sess_1", keyHashes: [hashToken(KEY)], now: NOW })).reason, bad).toBe("malformed");
    }
  });

  it("refuses a token for another session", () => {
    expect(failure(() => verifyTerminalToken(token(), { sessionId: "sess_2", keyHashes: [hashToken(KEY)], now: NOW }))).toEqual({
      reason: "wrong_session",
      message: "Terminal token is for session sess_1, not sess_2",
    });
  });

  it("refuses a token signed with another key, and any token when the organization has no keys", () => {
    expect(failure(() => verifyTerminalToken(token({ apiKey: OTHER_KEY }), { sessionId: "sess_1", keyHashes: [hashToken(KEY)], now: NOW })).reason).toBe("bad_signature");
    expect(failure(() => verifyTerminalToken(token(), { sessionId: "sess_1", keyHashes: [], now: NOW })).reason).toBe("bad_signature");
  });
});
