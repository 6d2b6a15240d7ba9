import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures } from "../testing/fixtures";
import { authenticate, issueAccessToken, verifyAccessToken } from "./auth";

let f: Fixtures;
beforeAll(async () => {
  f = await createFixtures();
});
afterAll(() => f.close());

const SECRET = "test-auth-secret-0123456789";

describe("sign-in", () => {
  it("accepts the right password, whatever the email's case, and returns no hash", async () => {
    const user = await authenticate(f.db, "SEED-OWNER@example.test", "seed-password");
    expect(user).toEqual({ id: expect.any(String), email: "seed-owner@example.test", name: "Demo Owner" });
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    expect(await authenticate(f.db, "seed-owner@example.test", "wrong")).toBeNull();
    expect(await authenticate(f.db, "nobody@example.test", "seed-password")).toBeNull();
  });

  it("issues bearer tokens that verify to the user, and rejects tampered or foreign ones", async () => {
    const { token } = await issueAccessToken("user_1", SECRET);
    expect(await verifyAccessToken(token, SECRET)).toBe("user_1");
    expect(await verifyAccessToken(token, "another-secret-0123456789")).toBeNull();
    expect(await verifyAccessToken(`${token.slice(0, -2)}xx`, SECRET)).toBeNull();
    const expired = await issueAccessToken("user_1", SECRET, -10);
    expect(await verifyAccessToken(expired.token, SECRET)).toBeNull();
  });
});
