// Hands output lines, agent events and session events to Observer: each entry is first appended
// to a per-organization spool file on disk, then sent in batches with retries. A batch leaves the
// spool only after Observer acknowledged it; event_id makes a re-sent batch land exactly once.
// Smith reports with a per-organization key derived from SMITH_REPORTER_SECRET (registered in
// api_keys on first use), so each log line carries the organization of its session.
import type { LogEntryInput } from "@kayos/contracts";
import type { AgentsDb } from "@kayos/db/agents";
import { replaceNamedKey } from "@kayos/db/api-keys";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { passesWithTime } from "../../shared/observer-reporter";
import { organizationFolder } from "./workspace";

const BATCH_BYTES = 512 * 1024;
const BATCH_ENTRIES = 1000;
const FLUSH_DELAY_MS = 100;
const MAX_BACKOFF_MS = 10_000;

export interface ReporterOptions {
  observerUrl?: string;
  spoolDir: string;
  secret: string;
  db: AgentsDb;
  warn: (message: string) => void;
}

class OrgSpool {
  private fd: number;
  private ack: number;
  private timer?: NodeJS.Timeout;
  private sending = false;
  private backoff = 250;
  private key?: string;

  constructor(
    readonly organizationId: string,
    private readonly dir: string,
    private readonly reporter: Reporter,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "organization"), organizationId);
    this.fd = fs.openSync(path.join(dir, "queue.jsonl"), "a+");
    const ackText = fs.existsSync(this.ackFile) ? fs.readFileSync(this.ackFile, "utf8") : "0";
    this.ack = Number(ackText) || 0;
  }

  private get ackFile() {
    return path.join(this.dir, "ack");
  }

  append(entries: LogEntryInput[]) {
    fs.writeSync(this.fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
    this.schedule(FLUSH_DELAY_MS);
  }

  pendingBytes() {
    return fs.fstatSync(this.fd).size - this.ack;
  }

  schedule(delay: number) {
    if (this.timer || this.sending) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, delay);
  }

  private readBatch(): { entries: LogEntryInput[]; bytes: number } {
    const buf = Buffer.alloc(BATCH_BYTES);
    const n = fs.readSync(this.fd, buf, 0, buf.length, this.ack);
    const text = buf.subarray(0, n);
    const entries: LogEntryInput[] = [];
    let used = 0;
    for (let nl = text.indexOf(10); nl !== -1 && entries.length < BATCH_ENTRIES; nl = text.indexOf(10, used)) {
      entries.push(JSON.parse(text.subarray(used, nl).toString("utf8")) as LogEntryInput);
      used = nl + 1;
    }
    return { entries, bytes: used };
  }

  private async send() {
    if (this.sending || !this.reporter.url) return;
    this.sending = true;
    try {
      for (;;) {
        const { entries, bytes } = this.readBatch();
        if (entries.length === 0) break;
        this.key ??= await this.reporter.keyFor(this.organizationId);
        const res = await fetch(`${this.reporter.url}/api/v1/logs/ingest`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${this.key}` },
          body: JSON.stringify({ entries }),
          signal: AbortSignal.timeout(15_000),
        });
        const body = await res.text().catch(() => "");
        if (!res.ok) {
          if (passesWithTime(res.status)) throw new Error(`Observer answered ${res.status}: ${body.slice(0, 300)}`);
          this.reporter.warnOnce(`Observer refused a batch of ${entries.length} entries (${res.status}): ${body.slice(0, 300)}`);
        }
        this.acknowledge(bytes);
        this.backoff = 250;
      }
    } catch (error) {
      this.reporter.warnOnce(`Observer unreachable or refusing (${(error as Error).message}); entries stay spooled and are retried`);
      this.sending = false;
      this.schedule(this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      return;
    }
    this.sending = false;
  }

  private acknowledge(bytes: number) {
    this.ack += bytes;
    // Everything sent: start the spool over (synchronous with appends, so nothing slips in between).
    if (this.ack >= fs.fstatSync(this.fd).size) {
      fs.ftruncateSync(this.fd, 0);
      this.ack = 0;
    }
    const tmp = `${this.ackFile}.tmp`;
    fs.writeFileSync(tmp, String(this.ack));
    fs.renameSync(tmp, this.ackFile);
  }

  close() {
    clearTimeout(this.timer);
    fs.closeSync(this.fd);
  }
}

export class Reporter {
  private readonly spools = new Map<string, OrgSpool>();
  private warned = false;

  constructor(private readonly opts: ReporterOptions) {
    // Resume what an earlier Smith left in the spool.
    if (!opts.observerUrl || !fs.existsSync(opts.spoolDir)) return;
    for (const name of fs.readdirSync(opts.spoolDir)) {
      const orgFile = path.join(opts.spoolDir, name, "organization");
      if (fs.existsSync(orgFile)) this.spool(fs.readFileSync(orgFile, "utf8")).schedule(0);
    }
  }

  get url() {
    return this.opts.observerUrl?.replace(/\/+$/, "");
  }

  get enabled() {
    return Boolean(this.opts.observerUrl);
  }

  report(organizationId: string, entries: LogEntryInput[]) {
    if (!this.enabled || entries.length === 0) return;
    this.spool(organizationId).append(entries);
  }

  /** Bytes not yet acknowledged by Observer, per organization. */
  pending(organizationId: string) {
    return this.spools.get(organizationId)?.pendingBytes() ?? 0;
  }

  private spool(organizationId: string) {
    let spool = this.spools.get(organizationId);
    if (!spool) {
      spool = new OrgSpool(organizationId, path.join(this.opts.spoolDir, organizationFolder(organizationId)), this);
      this.spools.set(organizationId, spool);
    }
    return spool;
  }

  /** The organization's reporter key; its hash is registered so Observer accepts it. */
  async keyFor(organizationId: string): Promise<string> {
    const key = `kay_smith_${createHmac("sha256", this.opts.secret).update(organizationId).digest("base64url")}`;
    // A changed SMITH_REPORTER_SECRET retires the keys derived from the old one.
    await replaceNamedKey(this.opts.db, { organizationId, name: "KaySmith reporter", value: key, prefix: "kay_smith" }, { revive: false });
    return key;
  }

  warnOnce(message: string) {
    if (this.warned) return;
    this.warned = true;
    this.opts.warn(message);
    setTimeout(() => (this.warned = false), 60_000).unref();
  }

  close() {
    for (const spool of this.spools.values()) spool.close();
    this.spools.clear();
  }
}
