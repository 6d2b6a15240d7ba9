// Live executions of this process: each event gets the next sequence number, goes to listeners at
// once and to PostgreSQL (group-committed). Streams of executions running elsewhere (or finished)
// are served from the table; see stream-follower.ts.
import type { StreamEventPayload, StreamEventType } from "@kayos/contracts";
import type { EventStore } from "../store/events";

export interface StreamEvent {
  seq: number;
  type: string;
  data: unknown;
}

export class LiveExecution {
  /** Events of this process's run, from seq baseSeq + 1 on (earlier ones are in the table). */
  readonly events: StreamEvent[] = [];
  readonly listeners = new Set<(e: StreamEvent) => void>();
  /** Called when this process lets the run go (finished, or continued elsewhere). */
  readonly enders = new Set<() => void>();
  private lastWrite: Promise<void> = Promise.resolve();
  private seq: number;
  firstTokenAt: number | null = null;

  constructor(
    readonly organizationId: string,
    readonly id: string,
    readonly baseSeq: number,
    private readonly store: EventStore,
    /** Resolves once the execution's row exists (reads of this run wait for it). */
    readonly ready: Promise<void>,
  ) {
    this.seq = baseSeq;
  }

  emit<T extends StreamEventType>(type: T, data: StreamEventPayload<T>): StreamEvent {
    const event: StreamEvent = { seq: ++this.seq, type, data };
    if (type === "token" && this.firstTokenAt === null) this.firstTokenAt = performance.now();
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    this.lastWrite = this.store
      .write({ organizationId: this.organizationId, executionId: this.id, seq: event.seq, type, data })
      .catch(() => undefined);
    return event;
  }

  /** Resolves once every event emitted so far is in the table. */
  persisted() {
    return this.lastWrite;
  }
}

export class EventHub {
  private readonly live = new Map<string, LiveExecution>();

  constructor(private readonly store: EventStore) {}

  open(organizationId: string, id: string, baseSeq: number, ready: Promise<void>) {
    const live = new LiveExecution(organizationId, id, baseSeq, this.store, ready);
    this.live.set(id, live);
    return live;
  }

  get(id: string) {
    return this.live.get(id);
  }

  /** Forgets a finished run once its events are stored (streams then read the table). */
  async release(live: LiveExecution) {
    await live.persisted();
    if (this.live.get(live.id) === live) this.live.delete(live.id);
    for (const end of live.enders) end();
  }

  get size() {
    return this.live.size;
  }
}
