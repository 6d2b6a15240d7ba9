// The observer's own settings: where shadow git stores live, which folders may be snapshotted, retention.
import { defineEnv } from "@kayos/env";
import { z } from "zod";
import { DEFAULT_WORKSPACE_ROOT, dataDir } from "../shared/paths";

export const observerEnv = (source: NodeJS.ProcessEnv = process.env) =>
  defineEnv(
    {
      OBSERVER_SNAPSHOT_DIR: z.string().min(1),
      // Snapshots are confined to the caller organization's folder here (as Smith's sessions are).
      WORKSPACE_ROOT: z.string().min(1).default(DEFAULT_WORKSPACE_ROOT),
      OBSERVER_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
    },
    { OBSERVER_SNAPSHOT_DIR: dataDir("observer", "snapshots") },
    source,
  );
export type ObserverEnv = ReturnType<typeof observerEnv>;
