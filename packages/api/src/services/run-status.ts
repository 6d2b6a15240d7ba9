// Which run statuses are final, for the API and the pages alike (the run page stops polling on them).
import type { RunStatus } from "@kayos/db/control";

/** A run in one of these has ended: nothing about it changes any more. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set<RunStatus>(["succeeded", "failed", "stopped"]);
/** The statuses a run can still leave (for `status: { in: … }` guards against a run ended meanwhile). */
export const UNFINISHED_STATUSES: RunStatus[] = ["queued", "running"];

/** Whether a run (or a conversation's reply run) has ended. */
export const isFinished = (status: string) => TERMINAL_STATUSES.has(status);
