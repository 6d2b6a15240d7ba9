// End users' password hashes: scrypt from node:crypto, stored as "scrypt$N$r$p$saltBase64$hashBase64".
// The control plane imports hashPassword to write the secrets file; the server verifies with it.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

const derive = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scrypt(password.normalize("NFKC"), salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** False for a wrong password and for anything that is not a hash of this format. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const parts = passwordHash.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  // Bounds keep a hostile hash from costing unbounded memory or time.
  if (!Number.isInteger(n) || n < 2 || n > 1_048_576 || (n & (n - 1)) !== 0 || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16) || expected.length < 16) return false;
  try {
    const actual = await derive(password, salt, expected.length, { N: n, r, p, maxmem: 256 * n * r + 32 * 1024 * 1024 });
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
