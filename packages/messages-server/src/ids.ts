import { randomBytes } from "node:crypto";

// Identifiers in the API's formats: a prefix and a base62 tail.
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(length: number): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

export const newRequestId = (): string => `req_011C${base62(20)}`;
export const newMessageId = (): string => `msg_01${base62(22)}`;
export const newToolUseId = (): string => `toolu_01${base62(22)}`;
export const newSignature = (): string => randomBytes(48).toString("base64");
