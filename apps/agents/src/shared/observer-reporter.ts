// Sends events (e.g. usage events) to CodingObserver in batches, per organization. A batch that
// cannot be delivered after a few quick retries is written to `<spoolDir>/*.jsonl` and re-sent with
// backoff until Observer takes it, also by the next process that starts on the same spool folder.
// Every event carries an event_id, so a batch sent twice (acknowledgement lost) lands once.
//
// Keys: Observer scopes what it stores by the API key it is called with, so each organization's
// events are sent with a key of that organization (`keyFor`, e.g. the caller's own key). A batch
// whose organization has no key at hand stays spooled until one is known.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Whether a refusal from Observer's ingest routes may pass: 401 (key not known there yet), 404 (those
 * routes never answer 404, so something else answers at that address: a proxy before Observer is
 * deployed, a wrong port), 408, 429 and 5xx. Another 4xx is about the batch itself and never heals.
 */
export const passesWithTime = (status: number) => status >= 500 || [401, 404, 408, 429].includes(status);

export interface ObserverReporterOptions {
  /** Observer's base URL (CODINGOBSERVER_URL); without it nothing is sent or spooled. */
  url?: string;
  /** Ingest path and the body key of the batch, e.g. `/api/v1/usage/ingest` and `events`. */
  path: string;
  bodyKey: string;
  spoolDir: string;
  keyFor: (organizationId: string) => string | undefined;
  warn?: (message: string) => void;
  batchSize?: number;
  flushDelayMs?: number;
  /** Attempts per batch before it is spooled. */
  attempts?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
}

type Event = { event_id: string };
class Retryable extends Error {}

export class ObserverReporter<E extends Event> {
  private readonly queues = new Map<string, E[]>();
  private flushTimer?: NodeJS.Timeout;
  private drainTimer?: NodeJS.Timeout;
  private drainBackoff: number;
  private draining?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private lastWarn = 0;

  constructor(private readonly opts: ObserverReporterOptions) {
    this.drainBackoff = opts.minBackoffMs ?? 200;
    if (this.enabled && this.spoolFiles().length > 0) this.scheduleDrain(0);
  }

  get enabled() {
    return Boolean(this.opts.url);
  }

  report(organizationId: string, events: E[]) {
    if (!this.enabled || this.closed || events.length === 0) return;
    const queue = this.queues.get(organizationId) ?? [];
    queue.push(...events);
    this.queues.set(organizationId, queue);
    if (queue.length >= (this.opts.batchSize ?? 500)) this.flushNow();
    else this.flushTimer ??= setTimeout(() => this.flushNow(), this.opts.flushDelayMs ?? 50);
  }

  /** Events not yet acknowledged: queued in memory plus spooled on disk. */
  pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    for (const file of this.spoolFiles()) n += readLines(file).length;
    return n;
  }

  /** Sends what is queued and waits for it (and for a drain of the spool, once). */
  async flush(): Promise<void> {
    this.flushNow();
    await Promise.allSettled([...this.inFlight]);
    await this.drain();
  }

  /** Stops sending; whatever is not acknowledged stays in the spool for the next process. */
  async close(): Promise<void> {
    this.flushNow();
    this.closed = true;
    clearTimeout(this.drainTimer);
    await Promise.allSettled([...this.inFlight, this.draining]);
  }

  private flushNow() {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const size = this.opts.batchSize ?? 500;
    for (const [org, queue] of this.queues) {
      this.queues.delete(org);
      for (let i = 0; i < queue.length; i += size) this.track(this.deliver(org, queue.slice(i, i + size)));
    }
  }

  private track(p: Promise<void>) {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(org: string, events: E[]) {
    const attempts = this.opts.attempts ?? 3;
    let wait = this.opts.minBackoffMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send(org, events);
        return;
      } catch (error) {
        if (!(error instanceof Retryable) || attempt >= attempts || this.closed) {
          if (error instanceof Retryable) this.spool(org, events, error.message);
          else this.warn(`Observer refused ${events.length} events for good: ${(error as Error).message}`);
          return;
        }
        await sleep(wait);
        wait = Math.min(wait * 2, this.opts.maxBackoffMs ?? 10_000);
      }
    }
  }

  private async send(org: string, events: E[]) {
    const key = this.opts.keyFor(org);
    if (!key) throw new Retryable(`no API key known for organization ${org} yet`);
    let res: Response;
    try {
      res = await fetch(`${this.opts.url!.replace(/\/+$/, "")}${this.opts.path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ [this.opts.bodyKey]: events }),
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new Retryable(`Observer unreachable: ${(error as Error).message}`);
    }
    const text = await res.text().catch(() => "");
    if (res.ok) return;
    if (passesWithTime(res.status)) throw new Retryable(`Observer answered ${res.status}: ${text.slice(0, 200)}`);
    throw new Error(`${res.status} ${text.slice(0, 300)}`);
  }

  private spool(org: string, events: E[], why: string) {
    this.warn(`${why}; ${events.length} events spooled to ${this.opts.spoolDir} and retried`);
    fs.mkdirSync(this.opts.spoolDir, { recursive: true });
    // One file per batch: no appends race a drain, and a drained file is simply deleted.
    const name = `${Buffer.from(org).toString("base64url")}.${Date.now()}-${randomUUID().slice(0, 8)}.jsonl`;
    const tmp = path.join(this.opts.spoolDir, `.${name}.tmp`);
    fs.writeFileSync(tmp, events.map((e) => `${JSON.stringify(e)}\n`).join(""));
    fs.renameSync(tmp, path.join(this.opts.spoolDir, name));
    this.scheduleDrain(this.drainBackoff);
  }

  private scheduleDrain(delay: number) {
    if (this.closed || this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      void this.drain();
    }, delay);
    this.drainTimer.unref();
  }

  private drain(): Promise<void> {
    this.draining ??= this.drainOnce().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drainOnce() {
    for (const file of this.spoolFiles()) {
      if (this.closed) return;
      const org = Buffer.from(path.basename(file).split(".")[0]!, "base64url").toString("utf8");
      try {
        await this.send(org, readLines(file) as E[]);
        fs.rmSync(file, { force: true });
      } catch (error) {
        if (!(error instanceof Retryable)) {
          this.warn(`Observer refused spooled events for good (${(error as Error).message}); dropping ${path.basename(file)}`);
          fs.rmSync(file, { force: true });
          continue;
        }
        this.drainBackoff = Math.min(this.drainBackoff * 2, this.opts.maxBackoffMs ?? 10_000);
        this.scheduleDrain(this.drainBackoff);
        return;
      }
    }
    this.drainBackoff = this.opts.minBackoffMs ?? 200;
  }

  private spoolFiles(): string[] {
    if (!fs.existsSync(this.opts.spoolDir)) return [];
    return fs
      .readdirSync(this.opts.spoolDir)
      .filter((f) => f.endsWith(".jsonl") && !f.startsWith("."))
      .sort()
      .map((f) => path.join(this.opts.spoolDir, f));
  }

  private warn(message: string) {
    // One warning a minute: a long outage must not flood the log.
    if (Date.now() - this.lastWarn < 60_000) return;
    this.lastWarn = Date.now();
    this.opts.warn?.(message);
  }
}

function readLines(file: string): unknown[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
