import "server-only";
import { apiEnv } from "@kayos/api";
import { controlDbUrl } from "@kayos/db/env";

let cached: (ReturnType<typeof apiEnv> & { DATABASE_URL: string }) | undefined;

/**
 * Validated on first use, not at import: `next build` loads these modules without the runtime
 * environment. A missing production secret stops the first request with the variable's name.
 */
export function env() {
  return (cached ??= { DATABASE_URL: controlDbUrl(), ...apiEnv() });
}

/** What the routers need from the environment (the tRPC context's `config`). */
export const apiConfig = () => ({
  encryptionKey: env().ENCRYPTION_KEY,
  serviceTimeoutMs: env().AGENT_SERVICE_TIMEOUT_MS,
  commandCenterReleaseDir: env().COMMAND_CENTER_RELEASE_DIR,
});
