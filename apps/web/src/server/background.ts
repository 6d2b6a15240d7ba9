import "server-only";
import { startRunReconciler } from "@kayos/api";
import { db } from "./db";
import { apiConfig, env } from "./env";

/** Keeps run statuses current for runs nobody opens (see @kayos/api services/run-reconciler.ts). */
export function startBackgroundWork() {
  let interval: number;
  try {
    interval = env().RUN_RECONCILE_INTERVAL_MS;
  } catch (error) {
    // Requests name the missing setting too; the server itself still starts.
    console.warn(`run status reconciler not started: ${(error as Error).message}`);
    return;
  }
  if (interval > 0) startRunReconciler(() => ({ db: db(), config: apiConfig() }), interval);
}
