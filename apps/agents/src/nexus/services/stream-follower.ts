// Delivers an execution's events after a given sequence number, in order, without gaps or repeats:
// from this process's live run when it has one, else from the table, polling it while the run goes
// on elsewhere (another process, or the web tier's stateless proxy). Ends after `done` or `waiting`
// only when asked to; a closed client just stops listening — the execution goes on.
import type { EventStore } from "../store/events";
import type { ExecutionStore } from "../store/executions";
import type { EventHub, StreamEvent } from "./event-hub";

const POLL_MS = 150;
const DONE_GRACE_MS = 2000;

export interface FollowOptions {
  executionId: string;
  after: number;
  send: (event: StreamEvent) => void;
  closed: () => boolean;
  onClose: (cb: () => void) => void;
}

export async function followExecution(hub: EventHub, events: EventStore, executions: ExecutionStore, o: FollowOptions): Promise<void> {
  let last = o.after;
  const deliver = (e: StreamEvent) => {
    if (e.seq <= last || o.closed()) return false;
    last = e.seq;
    o.send(e);
    return e.type === "done";
  };

  let endedAt: number | undefined;
  for (;;) {
    if (o.closed()) return;
    const live = hub.get(o.executionId);
    if (live) {
      // Subscribe first and buffer, then fill the gap from the table: nothing slips in between.
      const buffered: StreamEvent[] = [];
      let finish!: (sawDone: boolean) => void;
      const ended = new Promise<boolean>((resolve) => (finish = resolve));
      let replaying = true;
      const listener = (e: StreamEvent) => {
        if (replaying) buffered.push(e);
        else if (deliver(e)) finish(true);
      };
      // Let go without `done` (continued by another process): read on from the table.
      const ender = () => finish(false);
      live.listeners.add(listener);
      live.enders.add(ender);
      o.onClose(() => finish(true));
      try {
        if (last < live.baseSeq) for (const row of await events.after(o.executionId, last, live.baseSeq)) if (deliver(row)) return;
        for (const e of live.events) if (deliver(e)) return;
        for (const e of buffered) if (deliver(e)) return;
        replaying = false;
        if (await ended) return;
        continue;
      } finally {
        live.listeners.delete(listener);
        live.enders.delete(ender);
      }
    }
    const rows = await events.after(o.executionId, last);
    for (const row of rows) if (deliver(row)) return;
    if (rows.length === 0) {
      // No more events: stop when the run can produce none (ended, or not running anywhere).
      const row = await executions.find(o.executionId);
      const more = await events.after(o.executionId, last);
      for (const r of more) if (deliver(r)) return;
      if (!row) return;
      // An ended row's `done` is written just after it; give up on it only after a grace period.
      if (row.status !== "running" && row.status !== "queued" && more.length === 0) {
        endedAt ??= Date.now();
        if (Date.now() - endedAt > DONE_GRACE_MS) return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
