// Committed log lines as PostgreSQL notifications, so a live tail on any Observer instance hears
// about lines another instance stored. The writer notifies after each commit; every instance
// listens and re-emits what it hears as "committed" on its LogWriter.
import { listen } from "../../shared/pg-listen";
import type { Pool } from "./db";
import type { CommittedLog, LogWriter } from "./log-writer";

export const LOG_CHANNEL = "kayos_observer_logs";
/** NOTIFY payloads stop at 8000 bytes: past this, listeners are told "something changed" instead. */
const MAX_PAYLOAD = 7_000;

/** The payload for a batch: the [organization, session] pairs, or "*" when they do not fit. */
export function payloadOf(sessions: CommittedLog[]): string {
  const text = JSON.stringify(sessions.map((s) => [s.organizationId, s.sessionId]));
  return text.length <= MAX_PAYLOAD ? text : "*";
}

/** What a payload names; "*" (or anything unreadable) means every tail should look again. */
export function sessionsOf(payload: string): CommittedLog[] | "*" {
  try {
    const pairs = JSON.parse(payload) as unknown;
    if (!Array.isArray(pairs)) return "*";
    return pairs.filter((p): p is [string, string] => Array.isArray(p) && typeof p[0] === "string" && typeof p[1] === "string").map(([organizationId, sessionId]) => ({ organizationId, sessionId }));
  } catch {
    return "*";
  }
}

export function notifyCommitted(pool: Pool, sessions: CommittedLog[]) {
  return pool.query("SELECT pg_notify($1, $2)", [LOG_CHANNEL, payloadOf(sessions)]);
}

/** Feeds what this instance hears to its writer's "committed" listeners (the live tails). */
export function listenForCommits(url: string, logs: LogWriter, warn: (message: string) => void) {
  return listen(url, LOG_CHANNEL, {
    onMessage: (payload) => logs.emit("committed", sessionsOf(payload)),
    // Lines committed while no one listened: tails look again.
    onConnect: () => logs.emit("committed", "*"),
    warn,
  });
}
