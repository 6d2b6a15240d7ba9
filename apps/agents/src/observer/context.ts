// What the observer's routes share: the pool, the group-commit log writer and settings.
import type { Pool } from "./store/db";
import type { LogWriter } from "./store/log-writer";
import type { ObserverEnv } from "./env";

export interface ObserverContext {
  pool: Pool;
  logs: LogWriter;
  env: ObserverEnv;
}
