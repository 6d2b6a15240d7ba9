// Claude Code JSONL transcripts -> one usage record per model response.
//
// Claude Code writes one line per content block of a response, each repeating the response's usage
// (early lines may carry partial streaming counts). Rules, chosen to equal `ccusage` 20.x on the same
// files (see README.md in this folder for where we differ on purpose):
// - only lines containing the compact bytes `"usage":{` are parsed; malformed ones are skipped;
// - key = message id + request id (across sessions and files: resumed sessions copy responses);
//   without a request id, message id + session (+ timestamp unless the id is an Anthropic `msg_` id);
//   without a message id, the line itself;
// - of several lines with one key, a main-chain line beats a sidechain line, then the largest token
//   total wins; tool calls are collected from all of them;
// - a sidechain line replaying a main-chain response (same message id, session and instant, new
//   request id) is dropped;
// - `<synthetic>` responses (Claude Code's own placeholders, zero usage) are skipped.
import { isText } from "@kayos/contracts";
import { createHash } from "node:crypto";
import { costOf, priceTable } from "./pricing";
import { tokenTotal, type UsageRecord } from "./usage-record";

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

export class TranscriptAccumulator {
  private byKey = new Map<string, UsageRecord>();
  private replayKey = new Map<string, string>();
  readonly stats: ParseStats = { lines: 0, usageLines: 0, malformed: 0, synthetic: 0, invalid: 0 };

  constructor(private readonly fallbackSession?: string) {}

  /** Reads `buf`; with `complete` false, a last line without a newline is left for the next call. */
  add(buf: Buffer, complete = true): number {
    let end = buf.length;
    if (!complete) {
      const lastNl = buf.lastIndexOf(10);
      end = lastNl + 1;
    }
    for (let nl = buf.indexOf(10); nl !== -1 && nl < end; nl = buf.indexOf(10, nl + 1)) this.stats.lines++;
    if (complete && end > 0 && buf[end - 1] !== 10) this.stats.lines++;
    let pos = 0;
    while (pos < end) {
      const hit = buf.indexOf(MARKER, pos);
      if (hit === -1 || hit >= end) break;
      const start = buf.lastIndexOf(10, hit) + 1;
      let stop = buf.indexOf(10, hit);
      if (stop === -1 || stop > end) stop = end;
      this.stats.usageLines++;
      this.line(buf, start, stop);
      pos = stop + 1;
    }
    return end;
  }

  private line(buf: Buffer, start: number, stop: number) {
    // Searches below are bounded by the line: a view keeps them from running on into the rest of the file.
    const view = buf.subarray(start, stop);
    const data = parseLine(view);
    if (!data) return void this.stats.malformed++;
    const message = data?.message as Record<string, unknown> | undefined;
    const usage = message?.usage as Record<string, unknown> | undefined;
    if (!message || typeof message !== "object" || !usage || typeof usage !== "object") return void this.stats.malformed++;
    const at = typeof data.timestamp === "string" ? Date.parse(data.timestamp) : NaN;
    const cc = (usage.cache_creation ?? {}) as Record<string, unknown>;
    if (
      !(at >= 0 && at < LAST_INSTANT) ||
      !isCount(usage.input_tokens) ||
      !isCount(usage.output_tokens) ||
      !(usage.cache_creation_input_tokens == null || isCount(usage.cache_creation_input_tokens)) ||
      !(usage.cache_read_input_tokens == null || isCount(usage.cache_read_input_tokens)) ||
      (typeof data.version === "string" && !SEMVER.test(data.version)) ||
      !idOrAbsent(data.sessionId) ||
      !idOrAbsent(data.requestId) ||
      !idOrAbsent(message.id) ||
      !idOrAbsent(message.model)
    ) {
      return void this.stats.invalid++;
    }
    const model = typeof message.model === "string" ? message.model : "unknown";
    if (model === "<synthetic>") return void this.stats.synthetic++;

    const sessionId = (data.sessionId as string | undefined) ?? this.fallbackSession ?? "unknown";
    const messageId = (message.id as string | undefined) ?? null;
    const requestId = (data.requestId as string | undefined) ?? null;
    const isSidechain = data.isSidechain === true;
    const w1h = isCount(cc.ephemeral_1h_input_tokens) ? cc.ephemeral_1h_input_tokens : 0;
    const w5m = isCount(cc.ephemeral_5m_input_tokens) ? cc.ephemeral_5m_input_tokens : 0;
    const write = isCount(usage.cache_creation_input_tokens) ? usage.cache_creation_input_tokens : w5m + w1h;
    const fast = usage.speed === "fast";
    const tools = data[TOOLS] !== undefined ? (data[TOOLS] as Record<string, string> | null) : toolsOf(message.content);

    let key: string;
    if (messageId && requestId) key = `cc:${messageId}:${requestId}`;
    else if (messageId) key = messageId.startsWith("msg_") ? `cc:${messageId}::${sessionId}` : `cc:${messageId}::${sessionId}:${at}`;
    else key = `cc:line:${createHash("sha1").update(buf.subarray(start, stop)).digest("base64url")}`;

    const record: UsageRecord = {
      eventId: key,
      sessionId,
      source: "claude-code",
      model,
      messageId,
      requestId,
      isSidechain,
      input: usage.input_tokens,
      output: usage.output_tokens,
      cacheWrite5m: write - Math.min(w1h, write),
      cacheWrite1h: Math.min(w1h, write),
      cacheRead: isCount(usage.cache_read_input_tokens) ? usage.cache_read_input_tokens : 0,
      fast,
      costUsd: null,
      costSource: "unpriced",
      priceVersion: null,
      latencyMs: null,
      ttftMs: null,
      executionId: null,
      agentId: null,
      isError: data.isApiErrorMessage === true,
      tools,
      timestamp: new Date(at),
    };

    this.offer(record);
  }

  /** Applies the de-duplication rules to one candidate record (from a line, or from another accumulator). */
  offer(record: UsageRecord) {
    const key = record.eventId;
    const tools = record.tools;
    let existingKey: string | undefined = this.byKey.has(key) ? key : undefined;
    const replay = record.messageId ? `${record.messageId}|${record.sessionId}|${record.timestamp.getTime()}` : undefined;
    if (!existingKey && replay) {
      const other = this.replayKey.get(replay);
      const otherRecord = other ? this.byKey.get(other) : undefined;
      if (other && otherRecord && (record.isSidechain || otherRecord.isSidechain)) existingKey = other;
    }
    if (existingKey) {
      const existing = this.byKey.get(existingKey)!;
      const sameResponse = existingKey === key;
      if (better(record, existing)) {
        if (sameResponse && existing.tools) record.tools = { ...existing.tools, ...record.tools };
        this.byKey.delete(existingKey);
        this.byKey.set(key, record);
      } else if (sameResponse && tools) {
        existing.tools = { ...existing.tools, ...tools };
      }
    } else {
      this.byKey.set(key, record);
    }
    if (replay && (!this.replayKey.has(replay) || !record.isSidechain)) this.replayKey.set(replay, key);
  }

  /** Folds in another accumulator's results (of files that come after this one's in path order). */
  merge(records: UsageRecord[], stats: ParseStats) {
    for (const r of records) this.offer(r);
    for (const k of Object.keys(stats) as (keyof ParseStats)[]) this.stats[k] += stats[k];
  }

  /** The de-duplicated responses, unpriced (for merging). */
  raw(): UsageRecord[] {
    return [...this.byKey.values()];
  }

  /** How many responses it holds now. */
  get size() {
    return this.byKey.size;
  }

  /** Hands over (priced) what it holds and forgets it: later lines are de-duplicated by the store. */
  take(): UsageRecord[] {
    const out = this.records();
    this.byKey.clear();
    this.replayKey.clear();
    return out;
  }

  /** The de-duplicated responses, priced with the current table. */
  records(): UsageRecord[] {
    const out = this.raw();
    for (const r of out) {
      const cost = costOf(r);
      r.costUsd = cost;
      r.costSource = cost === null ? "unpriced" : "computed";
      r.priceVersion = cost === null ? null : priceTable.version;
    }
    return out;
  }
}

/** Main chain beats sidechain; then the larger token total; then fast-mode data. */
export function better(candidate: UsageRecord, existing: UsageRecord): boolean {
  if (candidate.isSidechain !== existing.isSidechain) return existing.isSidechain;
  const c = tokenTotal(candidate);
  const e = tokenTotal(existing);
  if (c !== e) return c > e;
  return candidate.fast && !existing.fast;
}

const CONTENT = Buffer.from('"content":[');
const TOOL_USE = Buffer.from('"tool_use"');
const TOOLS = Symbol("tools");

type LineData = Record<string, unknown> & { [TOOLS]?: Record<string, string> | null };

/**
 * Parses a transcript line. The bulk of an assistant line is `message.content` (text, tool input),
 * which the accounting needs only for tool names: the first `"content":[` array is cut out before
 * JSON.parse, and parsed on its own only when it holds a tool_use block. A raw `"content":[` cannot
 * occur inside a JSON string, and if the cut leaves no message.usage the line is parsed in full.
 */
function parseLine(buf: Buffer): LineData | null {
  const start = 0;
  const stop = buf.length;
  const at = buf.indexOf(CONTENT, start);
  if (at !== -1 && at < stop) {
    const open = at + CONTENT.length - 1;
    const close = matchBracket(buf, open, stop);
    if (close !== -1) {
      try {
        const data = JSON.parse(buf.toString("utf8", start, open) + "[]" + buf.toString("utf8", close + 1, stop));
        const message = data?.message;
        if (message && typeof message === "object" && message.usage && Array.isArray(message.content)) {
          let tools: Record<string, string> | null = null;
          const toolAt = buf.indexOf(TOOL_USE, open);
          if (toolAt !== -1 && toolAt < close) tools = toolsOf(JSON.parse(buf.toString("utf8", open, close + 1)));
          data[TOOLS] = tools;
          return data;
        }
      } catch {
        // fall through to the plain parse
      }
    }
  }
  try {
    return JSON.parse(buf.toString("utf8", start, stop));
  } catch {
    return null;
  }
}

/** Index of the `]`/`}` closing the bracket at `open`, skipping strings; -1 if not within `stop`. */
function matchBracket(buf: Buffer, open: number, stop: number): number {
  let depth = 0;
  for (let i = open; i < stop; i++) {
    const c = buf[i]!;
    if (c === 34) {
      // jump to the closing quote: the next quote preceded by an even number of backslashes
      let j = i;
      for (;;) {
        j = buf.indexOf(34, j + 1);
        if (j === -1 || j >= stop) return -1;
        let k = j - 1;
        while (buf[k] === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
    } else if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

function toolsOf(content: unknown): Record<string, string> | null {
  if (!Array.isArray(content)) return null;
  let tools: Record<string, string> | null = null;
  content.forEach((block: { type?: unknown; id?: unknown; name?: unknown }, i) => {
    if (block && block.type === "tool_use" && typeof block.name === "string" && isText(block.name)) {
      (tools ??= {})[typeof block.id === "string" && isText(block.id) ? block.id : `#${i}`] = block.name;
    }
  });
  return tools;
}

export function parseTranscript(buf: Buffer, opts: { session?: string; complete?: boolean } = {}): ParseResult {
  const acc = new TranscriptAccumulator(opts.session);
  const nextOffset = acc.add(buf, opts.complete ?? true);
  return { records: acc.records(), stats: acc.stats, nextOffset };
}
