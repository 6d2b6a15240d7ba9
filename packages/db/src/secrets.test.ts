import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, generateToken, hashPassword, hashToken, verifyPassword } from "./secrets";

describe("secrets", () => {
  it("hashes passwords with argon2id and verifies only the right one", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, "correct horse")).toBe(true);
    expect(await verifyPassword(hash, "wrong horse")).toBe(false);
    expect(await verifyPassword("not-a-hash", "correct horse")).toBe(false);
  });

  it("encrypts secrets so that only the same key decrypts them, and detects tampering", () => {
    const sealed = encryptSecret("kay_live_secret", "key-one-key-one-key-one");
    expect(sealed).not.toContain("kay_live_secret");
    expect(decryptSecret(sealed, "key-one-key-one-key-one")).toBe("kay_live_secret");
    expect(() => decryptSecret(sealed, "another-key-another-key")).toThrow();
    const [v, iv, tag, body] = sealed.split(".");
    const flipped = `${v}.${iv}.${tag}.${body?.startsWith("A") ? "B" : "A"}${body?.slice(1)}`;
    expect(() => decryptSecret(flipped, "key-one-key-one-key-one")).toThrow();
  });

  it("generates distinct prefixed tokens and hashes them deterministically", () => {
    const a = generateToken("kat");
    const b = generateToken("kat");
    expect(a).toMatch(/^kat_[A-Za-z0-9_-]{32}$/);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken(a)).not.toBe(hashToken(b));
  });
});
