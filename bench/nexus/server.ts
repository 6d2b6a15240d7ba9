// Nexus alone, for benchmarks: AGENTS_DATABASE_URL, NEXUS_PORT and ANTHROPIC_BASE_URL from the environment.
import { buildNexus } from "@kayos/agents/nexus/service";
import { createKeyResolver } from "@kayos/agents/shared/api-key";
import { agentsDb } from "@kayos/db/agents";

const app = await buildNexus({ logLevel: process.env.LOG_LEVEL ?? "warn", resolveCaller: createKeyResolver(agentsDb()) });
await app.listen({ host: "127.0.0.1", port: Number(process.env.NEXUS_PORT) });
console.log("listening");
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
