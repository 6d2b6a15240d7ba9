// Committed log lines as PostgreSQL notifications, so a live tail on any Observer instance hears
// about lines another instance stored. The writer notifies after each commit; every instance keeps
// one LISTEN connection and re-emits what it hears as "committed" on its LogWriter.
import pg from "pg";
import type { CommittedLog, LogWriter } from "./log-writer";
import type { Pool } from "./db";

export const LOG_CHANNEL = "kayos_observer_logs";
/** NOTIFY payloads stop at 8000 bytes: past this, listeners are told "something changed" instead. */
const MAX_PAYLOAD = 7_000;
const MAX_BACKOFF_MS = 10_000;

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

/** Keeps a LISTEN connection open (reconnecting with backoff) and feeds what it hears to the writer. */
export function listenForCommits(url: string, logs: LogWriter, warn: (message: string) => void) {
  let client: pg.Client | undefined;
  let stopped = false;
  let backoff = 250;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    client = next;
    next.on("notification", (message) => {
      if (message.channel === LOG_CHANNEL) logs.emit("committed", sessionsOf(message.payload ?? "*"));
    });
    next.on("error", (error) => {
      warn(`live tail notifications lost their connection (${error.message}); reconnecting`);
      reconnect(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${LOG_CHANNEL}`);
      backoff = 250;
      // Lines committed while no one listened: tails look again.
      logs.emit("committed", "*");
    } catch (error) {
      warn(`live tail notifications could not connect (${(error as Error).message}); retrying`);
      reconnect(next);
    }
  };
  const reconnect = (dead: pg.Client) => {
    if (stopped || client !== dead) return;
    client = undefined;
    void dead.end().catch(() => undefined);
    retry = setTimeout(() => void connect(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  void connect();
  return {
    async close() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
