// One PostgreSQL LISTEN connection for a channel, kept open across database restarts (reconnects
// with backoff). Services use it to hear what another process of the same database just did.
import pg from "pg";

const MAX_BACKOFF_MS = 10_000;

export function listen(
  url: string,
  channel: string,
  opts: {
    onMessage: (payload: string) => void;
    /** After every (re)connection: whatever was notified while no one listened is unknown. */
    onConnect?: () => void;
    warn: (message: string) => void;
  },
) {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  let backoff = 250;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const reconnect = (dead: pg.Client) => {
    if (stopped || client !== dead) return;
    client = undefined;
    void dead.end().catch(() => undefined);
    retry = setTimeout(() => void connect(), backoff);
    retry.unref();
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    client = next;
    next.on("notification", (message) => {
      if (message.channel === channel) opts.onMessage(message.payload ?? "");
    });
    next.on("error", (error) => {
      opts.warn(`LISTEN ${channel} lost its connection (${error.message}); reconnecting`);
      reconnect(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      backoff = 250;
      opts.onConnect?.();
    } catch (error) {
      if (!stopped) opts.warn(`LISTEN ${channel} could not connect (${(error as Error).message}); retrying`);
      reconnect(next);
    }
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
