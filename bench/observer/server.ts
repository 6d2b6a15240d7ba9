// The observer alone, for benchmarks: AGENTS_DATABASE_URL and OBSERVER_PORT from the environment.
import { buildObserver } from "@kayos/agents/observer/service";
import { createKeyResolver } from "@kayos/agents/shared/api-key";
import { agentsDb } from "@kayos/db/agents";

const app = await buildObserver({ logLevel: process.env.LOG_LEVEL ?? "warn", resolveCaller: createKeyResolver(agentsDb()) });
await app.listen({ host: "127.0.0.1", port: Number(process.env.OBSERVER_PORT) });
console.log("listening");
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
