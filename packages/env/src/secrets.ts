import { z } from "zod";
import { defineEnv } from "./define";

/**
 * The encryption key used when none is set outside production (the web app run on its own; and
 * every install before `npm run dev` made its own, so their stored credentials are encrypted with it).
 */
export const DEV_ENCRYPTION_KEY = "dev-only-encryption-key-change-me-in-production";

/**
 * The control plane's secrets, shared by the web app (signing, decrypting) and the dev stack
 * (seeding encrypted keys, starting the web app). Development defaults are refused in production.
 */
export const secretsEnv = (source: NodeJS.ProcessEnv = process.env) =>
  defineEnv(
    {
      AUTH_SECRET: z.string().min(16, "must be at least 16 characters"),
      ENCRYPTION_KEY: z.string().min(16, "must be at least 16 characters"),
    },
    {
      AUTH_SECRET: "dev-only-auth-secret-change-me-in-production",
      ENCRYPTION_KEY: DEV_ENCRYPTION_KEY,
    },
    source,
  );
