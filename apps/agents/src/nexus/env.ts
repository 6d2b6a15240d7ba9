// Nexus's own settings. Without ANTHROPIC_API_KEY the service still starts; `npm run dev` then points
// ANTHROPIC_BASE_URL at the local Messages server with ANTHROPIC_API_KEY=offline.
import path from "node:path";
import { defineEnv } from "@kayos/env";
import { repoRoot } from "../shared/paths";
import { z } from "zod";
import { parseAllowHost, type AllowedHost } from "./graph/http-get";

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** `host` or `host:port` entries, comma-separated; each problem is reported with its entry. */
const allowHosts = z
  .string()
  .default("")
  .transform((text, ctx): AllowedHost[] => {
    const hosts: AllowedHost[] = [];
    for (const entry of text.split(",").map((e) => e.trim()).filter(Boolean)) {
      const parsed = parseAllowHost(entry);
      if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
      else hosts.push(parsed);
    }
    return hosts;
  });

export const nexusEnv = (source: NodeJS.ProcessEnv = process.env) =>
  defineEnv(
    {
      ANTHROPIC_API_KEY: z.string().optional(),
      ANTHROPIC_BASE_URL: z.url().optional(),
      NEXUS_DEFAULT_MODEL: z.string().min(1).default("claude-sonnet-4-6"),
      NEXUS_MAX_PROMPT_CHARS: int(100_000, 1),
      NEXUS_MAX_TOKENS: int(4096, 1),
      /** Per model request; the SDK retries 408/409/429/5xx up to NEXUS_MAX_RETRIES times honouring retry-after. */
      NEXUS_MODEL_TIMEOUT_MS: int(120_000, 1),
      NEXUS_MAX_RETRIES: int(2),
      /** Repairs the planner asks for when the model's plan does not match the schema. */
      NEXUS_PLANNER_REPAIRS: int(2),
      /** A run whose process has not refreshed its heartbeat for this long is taken over by another. */
      NEXUS_TAKEOVER_AFTER_MS: int(30_000, 100),
      /**
       * Hosts the graph tool `http_get` may reach although they are (or resolve to) loopback, private,
       * link-local or other internal addresses: `host` (any port) or `host:port`, comma-separated.
       */
      NEXUS_HTTP_ALLOW_HOSTS: allowHosts,
      /** Whole `http_get` fetch (DNS, connect, redirects, body). */
      NEXUS_HTTP_TIMEOUT_MS: int(10_000, 1),
      /** `http_get` reads at most this many bytes of a body, then closes the connection (`truncated: true`). */
      NEXUS_HTTP_MAX_BYTES: int(100_000, 1),
      /** Node executions per graph run (at every nesting level together); a definition's `maxSteps` replaces it. */
      NEXUS_GRAPH_MAX_STEPS: int(200, 1),
      /** The most a definition's `maxSteps` may ask for. */
      NEXUS_GRAPH_MAX_STEPS_LIMIT: int(10_000, 1),
      NEXUS_DATA_DIR: z.string().min(1).default(path.join(repoRoot, ".data", "nexus")),
      KAYSMITH_URL: z.url().optional(),
      CODINGOBSERVER_URL: z.url().optional(),
      /** Key for usage reports when the caller's key is not at hand (e.g. a run resumed after a restart). */
      OBSERVER_API_KEY: z.string().optional(),
    },
    {},
    source,
  );
export type NexusConfig = ReturnType<typeof nexusEnv>;

/** Offline: Claude is the local Messages server (a loopback base URL), so the UI labels replies. */
export function isOffline(config: Pick<NexusConfig, "ANTHROPIC_BASE_URL">): boolean {
  if (!config.ANTHROPIC_BASE_URL) return false;
  const host = new URL(config.ANTHROPIC_BASE_URL).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
