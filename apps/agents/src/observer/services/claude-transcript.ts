// Claude Code JSONL transcripts -> one usage record per model response.
//
// Claude Code writes one line per content block of a response, each repeating the response's usage
// (early lines may carry partial streaming counts). Rules, chosen to equal `ccusage` 20.x on the same
// files (see README.md in this folder for where we differ on purpose):
// - only lines containing the compact bytes `"usage":{` are read (claude-line.ts); malformed ones are skipped;
// - key = message id + request id (across sessions and files: resumed sessions copy responses);
//   without a request id, message id + session (+ timestamp unless the id is an Anthropic `msg_` id);
//   without a message id, the line itself;
// - of several lines with one key, a main-chain line beats a sidechain line, then the largest token
//   total wins; tool calls are collected from all of them;
// - a sidechain line replaying a main-chain response (same message id, session and instant, another
//   key) is dropped, whichever of the two comes first: the store's rules (store/usage.ts), applied
//   line by line, so that an import's result does not depend on where its batches are cut;
// - `<synthetic>` responses (Claude Code's own placeholders, zero usage) are skipped.
import { isText } from "@kayos/contracts";
import { createHash } from "node:crypto";
import { readLine, type CacheCreationView, type MessageView, type UsageView } from "./claude-line";
import { costOf, priceTable } from "./pricing";
import { better, type UsageRecord } from "./usage-record";

const MARKER = Buffer.from('"usage":{');
const SEMVER = /^\d+\.\d+\.\d+/;

export interface ParseStats {
  lines: number;
  usageLines: number;
  malformed: number;
  synthetic: number;
  invalid: number;
}

export interface ParseResult {
  records: UsageRecord[];
  stats: ParseStats;
  /** Bytes consumed: everything when `complete`, else up to the last newline. */
  nextOffset: number;
}

/** Token counts as the usage route takes them (no response comes near 2e9 tokens; larger is corrupt). */
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 2_000_000_000;
/** Ids and names: absent, or text that the store and the query routes take (1 to 200 characters). */
const idOrAbsent = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.length > 0 && v.length <= 200 && isText(v));
const LAST_INSTANT = Date.UTC(10000, 0, 1);

/**
 * One response as the lines read so far tell it: the compact form kept while reading (every field a
 * line gives, tool calls as flat id/name pairs), turned into a UsageRecord once at the end. Keeping
 * full records (a Date, a tool dictionary, a key string each) while reading made the young-generation
 * collections copy ~1 KB per response and cost more than parsing the lines did.
 */
class TranscriptResponse {
  constructor(
    readonly sessionId: string,
    readonly model: string,
    readonly messageId: string | null,
    readonly requestId: string | null,
    /** The key of a line without a message id (a hash of the line); null otherwise. */
    readonly lineKey: string | null,
    readonly isSidechain: boolean,
    readonly input: number,
    readonly output: number,
    readonly cacheWrite5m: number,
    readonly cacheWrite1h: number,
    readonly cacheRead: number,
    readonly fast: boolean,
    readonly isError: boolean,
    readonly at: number,
    /** tool_use id (or ordinal), name, id, name…; a later pair overrides an earlier one with the same id. */
    public tools: string[] | null,
  ) {}

  /** Whether this copy was handed over by `settle` (the store holds it). */
  handed = false;

  /** The event id: message id + request id; without a request id, message id + session (+ instant unless an Anthropic `msg_` id). */
  get key(): string {
    const m = this.messageId;
    if (m === null) return this.lineKey!;
    if (this.requestId !== null) return `cc:${m}:${this.requestId}`;
    return m.startsWith("msg_") ? `cc:${m}::${this.sessionId}` : `cc:${m}::${this.sessionId}:${this.at}`;
  }

  /** Whether `other` (with the same message id) has this one's key, compared field by field. */
  sameKey(other: TranscriptResponse): boolean {
    if (this.requestId !== null || other.requestId !== null) return this.requestId === other.requestId;
    return this.sessionId === other.sessionId && (this.messageId!.startsWith("msg_") || this.at === other.at);
  }

  record(): UsageRecord {
    const cost = costOf(this);
    return {
      eventId: this.key,
      sessionId: this.sessionId,
      source: "claude-code",
      model: this.model,
      messageId: this.messageId,
      requestId: this.requestId,
      isSidechain: this.isSidechain,
      input: this.input,
      output: this.output,
      cacheWrite5m: this.cacheWrite5m,
      cacheWrite1h: this.cacheWrite1h,
      cacheRead: this.cacheRead,
      fast: this.fast,
      costUsd: cost,
      costSource: cost === null ? "unpriced" : "computed",
      priceVersion: cost === null ? null : priceTable.version,
      latencyMs: null,
      ttftMs: null,
      executionId: null,
      agentId: null,
      isError: this.isError,
      tools: this.tools && toolDictionary(this.tools),
      timestamp: new Date(this.at),
    };
  }
}

/**
 * id/name pairs -> { id: name }, a later pair winning. Without a prototype: V8 keeps such an object as
 * a dictionary, where each response's own tool ids as keys of plain objects (Object.fromEntries too)
 * made a hidden class per id (~2 µs a response); and "__proto__" is a key like any other.
 */
function toolDictionary(pairs: string[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (let i = 0; i < pairs.length; i += 2) out[pairs[i]!] = pairs[i + 1]!;
  return out;
}

/** A response's fields. */
export type ResponseData = Omit<TranscriptResponse, "key" | "sameKey" | "record">;

/** An accumulator's responses (unpriced) and counts. */
export interface Parsed {
  responses: ResponseData[];
  stats: ParseStats;
}

const mergeTools = (first: string[] | null, then: string[] | null) => (first === null ? then : then === null ? first : first.concat(then));

/** Whether merging `then` into `first` changes the tool calls (their `toolDictionary`). */
function addsTools(first: string[] | null, then: string[] | null): boolean {
  if (then === null) return false;
  if (first === null) return true;
  const known = toolDictionary(first);
  for (let i = 0; i < then.length; i += 2) if (known[then[i]!] !== then[i + 1]) return true;
  return false;
}

export class TranscriptAccumulator {
  /** By message id: the one response with it, or the copies kept (other request ids, sessions or instants). */
  private byMessage = new Map<string, TranscriptResponse | TranscriptResponse[]>();
  /** Responses of lines without a message id, by the line's hash. */
  private byLine = new Map<string, TranscriptResponse>();
  private count = 0;
  /** What was handed over and what changed since (`handOver`), or null. */
  private handing: { pending: TranscriptResponse[]; changed: Set<string>; stale: string[] } | null = null;
  // Consecutive lines almost always repeat the session and the model, and a response's lines its ids
  // and instant: the first string is kept (and was checked, or parsed) and the repeats are dropped young.
  // Ids start undefined, which is valid: "" is not, and must not pass as a repeat.
  private lastSession: string | undefined;
  private lastModel: string | undefined;
  private lastRequest: string | undefined;
  private lastMessage: string | undefined;
  private lastVersion: string | undefined;
  private lastInstant = "";
  private lastAt = NaN;
  readonly stats: ParseStats = { lines: 0, usageLines: 0, malformed: 0, synthetic: 0, invalid: 0 };

  constructor(private readonly fallbackSession?: string) {}

  /** Reads `buf`; with `complete` false, a last line without a newline is left for the next call. */
  add(buf: Buffer, complete = true): number {
    const end = complete ? buf.length : buf.lastIndexOf(10) + 1;
    // Lines are counted as they are passed: the usage lines one by one, the lines between them by
    // their newlines (a count of every newline first cost a call per line, most of them usage lines).
    let pos = 0;
    while (pos < end) {
      const hit = buf.indexOf(MARKER, pos);
      if (hit === -1 || hit >= end) {
        this.stats.lines += newlines(buf, pos, end) + (buf[end - 1] !== 10 ? 1 : 0);
        break;
      }
      const start = buf.lastIndexOf(10, hit) + 1;
      this.stats.lines += newlines(buf, pos, start) + 1;
      let stop = buf.indexOf(10, hit);
      if (stop === -1 || stop > end) stop = end;
      this.stats.usageLines++;
      this.line(buf, start, stop);
      pos = stop + 1;
    }
    return end;
  }

  private line(buf: Buffer, start: number, stop: number) {
    const data = readLine(buf, start, stop);
    if (!data) return void this.stats.malformed++;
    const message = data.message as MessageView | null | undefined;
    const usage = message?.usage as UsageView | null | undefined;
    if (!message || typeof message !== "object" || !usage || typeof usage !== "object") return void this.stats.malformed++;
    const instant = data.timestamp;
    const at = typeof instant !== "string" ? NaN : instant === this.lastInstant ? this.lastAt : Date.parse(instant);
    const cc = (usage.cache_creation ?? {}) as Partial<CacheCreationView>;
    if (
      !(at >= 0 && at < LAST_INSTANT) ||
      !isCount(usage.input_tokens) ||
      !isCount(usage.output_tokens) ||
      !(usage.cache_creation_input_tokens == null || isCount(usage.cache_creation_input_tokens)) ||
      !(usage.cache_read_input_tokens == null || isCount(usage.cache_read_input_tokens)) ||
      (typeof data.version === "string" && data.version !== this.lastVersion && !SEMVER.test(data.version)) ||
      !(data.sessionId === this.lastSession || idOrAbsent(data.sessionId)) ||
      !(data.requestId === this.lastRequest || idOrAbsent(data.requestId)) ||
      !(message.id === this.lastMessage || idOrAbsent(message.id)) ||
      !(message.model === this.lastModel || idOrAbsent(message.model))
    ) {
      return void this.stats.invalid++;
    }
    if (typeof instant === "string") {
      this.lastInstant = instant;
      this.lastAt = at;
    }
    if (typeof data.version === "string") this.lastVersion = data.version;
    if (typeof data.requestId === "string") this.lastRequest = data.requestId;
    if (typeof message.id === "string") this.lastMessage = message.id;
    let model = typeof message.model === "string" ? message.model : "unknown";
    if (model === "<synthetic>") return void this.stats.synthetic++;
    if (model === this.lastModel) model = this.lastModel;
    else this.lastModel = model;
    let sessionId = (data.sessionId as string | undefined) ?? this.fallbackSession ?? "unknown";
    if (sessionId === this.lastSession) sessionId = this.lastSession;
    else this.lastSession = sessionId;

    const messageId = (message.id as string | undefined) ?? null;
    const w1h = isCount(cc.ephemeral_1h_input_tokens) ? cc.ephemeral_1h_input_tokens : 0;
    const w5m = isCount(cc.ephemeral_5m_input_tokens) ? cc.ephemeral_5m_input_tokens : 0;
    const write = isCount(usage.cache_creation_input_tokens) ? usage.cache_creation_input_tokens : w5m + w1h;
    this.offer(
      new TranscriptResponse(
        sessionId,
        model,
        messageId,
        (data.requestId as string | undefined) ?? null,
        messageId ? null : `cc:line:${createHash("sha1").update(buf.subarray(start, stop)).digest("base64url")}`,
        data.isSidechain === true,
        usage.input_tokens,
        usage.output_tokens,
        write - Math.min(w1h, write),
        Math.min(w1h, write),
        isCount(usage.cache_read_input_tokens) ? usage.cache_read_input_tokens : 0,
        usage.speed === "fast",
        data.isApiErrorMessage === true,
        at,
        toolsOf(message.content),
      ),
    );
  }

  /** Applies the de-duplication rules to the response one line tells. */
  private offer(r: TranscriptResponse) {
    if (r.messageId === null) {
      // The key is the line's hash: a line with the same key is the same line.
      if (this.byLine.has(r.lineKey!)) return;
      this.count++;
      this.byLine.set(r.lineKey!, r);
      return void this.handing?.pending.push(r);
    }
    const found = this.byMessage.get(r.messageId);
    if (found === undefined) {
      this.count++;
      this.byMessage.set(r.messageId, r);
      return void this.handing?.pending.push(r);
    }
    if (found instanceof TranscriptResponse && found.sameKey(r)) {
      // Another line of the same response (the common case).
      if (!better(r, found)) {
        if (found.handed && addsTools(found.tools, r.tools)) this.changed(r.messageId, [found]);
        return void (found.tools = mergeTools(found.tools, r.tools));
      }
      if (found.handed) this.changed(r.messageId, [found]);
      r.tools = mergeTools(found.tools, r.tools);
      this.byMessage.set(r.messageId, r);
      return void this.handing?.pending.push(r);
    }
    const copies = found instanceof TranscriptResponse ? [found] : found;
    this.byMessage.set(r.messageId, copies);
    const replays = (o: TranscriptResponse, of: TranscriptResponse) => o.isSidechain && !of.isSidechain && o.sessionId === of.sessionId && o.at === of.at && !o.sameKey(of);
    // A sidechain copy of a main-chain response kept at its session and instant is a replay.
    if (r.isSidechain && copies.some((o) => replays(r, o))) return;
    const same = copies.findIndex((o) => o.sameKey(r));
    if (same === -1) {
      this.count++;
      copies.push(r);
      this.handing?.pending.push(r);
    } else if (better(r, copies[same]!)) {
      if (copies[same]!.handed) this.changed(r.messageId, copies);
      r.tools = mergeTools(copies[same]!.tools, r.tools);
      copies[same] = r;
      this.handing?.pending.push(r);
    } else {
      if (copies[same]!.handed && addsTools(copies[same]!.tools, r.tools)) this.changed(r.messageId, copies);
      copies[same]!.tools = mergeTools(copies[same]!.tools, r.tools);
    }
    // …and a main-chain line drops the sidechain replays kept before it came.
    if (!r.isSidechain) {
      const kept = copies.filter((o) => !replays(o, r));
      if (kept.length === copies.length) return;
      if (copies.some((o) => o.handed && !kept.includes(o))) this.changed(r.messageId, copies);
      this.count -= copies.length - kept.length;
      this.byMessage.set(r.messageId, kept);
    }
  }

  /**
   * Notes that the responses of `messageId` change after some were handed over (`copies`, before the
   * change): the store's rows of the handed ones are stale, and all of the message's responses are
   * handed over again at the end (`changes`).
   */
  private changed(messageId: string, copies: TranscriptResponse[]) {
    const h = this.handing!;
    if (h.changed.has(messageId)) return;
    h.changed.add(messageId);
    for (const o of copies) if (o.handed) h.stale.push(o.key);
  }

  /** Whether `r` is still held (not replaced by a better copy, nor dropped as a replay). */
  private holds(r: TranscriptResponse): boolean {
    if (r.messageId === null) return true;
    const slot = this.byMessage.get(r.messageId);
    return slot === r || (Array.isArray(slot) && slot.includes(r));
  }

  /**
   * For a store that keeps what it is handed (a first import streaming into its organization): from
   * now on the accumulator keeps everything, hands over with `settle` what came in, and `changes` says
   * what changed after it was handed over.
   */
  handOver() {
    this.handing = { pending: [], changed: new Set(), stale: [] };
  }

  /** Responses come in since the last `settle` (some may be replaced or dropped by now). */
  get unsettled(): number {
    return this.handing?.pending.length ?? 0;
  }

  /**
   * Hands over (priced) the responses come in since the last call that are still held, except those
   * of messages changed after an earlier hand-over (`changes` has them).
   */
  settle(): UsageRecord[] {
    const h = this.handing!;
    const out: UsageRecord[] = [];
    for (const r of h.pending) {
      if ((r.messageId !== null && h.changed.has(r.messageId)) || !this.holds(r)) continue;
      r.handed = true;
      out.push(r.record());
    }
    h.pending = [];
    return out;
  }

  /**
   * After the last `settle`: the event ids handed over whose rows are stale, and what replaces them,
   * every response held (priced) of the messages that changed after a hand-over.
   */
  changes(): { stale: string[]; records: UsageRecord[] } {
    const h = this.handing!;
    const records: UsageRecord[] = [];
    for (const id of h.changed) {
      const slot = this.byMessage.get(id)!;
      for (const r of slot instanceof TranscriptResponse ? [slot] : slot) records.push(r.record());
    }
    return { stale: h.stale, records };
  }

  private all(): TranscriptResponse[] {
    const out: TranscriptResponse[] = [];
    for (const slot of this.byMessage.values()) {
      if (slot instanceof TranscriptResponse) out.push(slot);
      else out.push(...slot);
    }
    for (const r of this.byLine.values()) out.push(r);
    return out;
  }

  /** What it holds, unpriced (a folder's totals need no full records). */
  parsed(): Parsed {
    return { responses: this.all(), stats: this.stats };
  }

  /** How many responses it holds now. */
  get size() {
    return this.count;
  }

  /** Hands over (priced) what it holds and forgets it: later lines are de-duplicated by the store. */
  take(): UsageRecord[] {
    const out = this.records();
    this.forget();
    return out;
  }

  /** Forgets what it holds (the store has it, or is given it by `take`): later lines are de-duplicated by the store. */
  forget() {
    this.byMessage.clear();
    this.byLine.clear();
    this.count = 0;
    this.handing = null;
  }

  /** The de-duplicated responses, priced with the current table. */
  records(): UsageRecord[] {
    return this.all().map((r) => r.record());
  }
}

/** Newlines in `buf[from, to)`. */
function newlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let nl = buf.indexOf(10, from); nl !== -1 && nl < to; nl = buf.indexOf(10, nl + 1)) n++;
  return n;
}

function toolsOf(content: unknown): string[] | null {
  if (!Array.isArray(content)) return null;
  let tools: string[] | null = null;
  content.forEach((block: { type?: unknown; id?: unknown; name?: unknown }, i) => {
    if (block && block.type === "tool_use" && typeof block.name === "string" && isText(block.name)) {
      (tools ??= []).push(typeof block.id === "string" && isText(block.id) ? block.id : `#${i}`, block.name);
    }
  });
  return tools;
}

export function parseTranscript(buf: Buffer, opts: { session?: string; complete?: boolean } = {}): ParseResult {
  const acc = new TranscriptAccumulator(opts.session);
  const nextOffset = acc.add(buf, opts.complete ?? true);
  return { records: acc.records(), stats: acc.stats, nextOffset };
}
