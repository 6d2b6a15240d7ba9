// One Claude Code transcript line -> the parts the accounting reads, as JSON.parse would give them.
//
// A usage line is ~1 KB of which the accounting needs ~15 values; JSON.parse builds all of it (every
// string, every object) and was the largest part of reading a transcript. This reader walks the line
// once, checking it against JSON's grammar as strictly as JSON.parse does, and builds only the values
// on the paths below; the rest is skipped. Whatever it does not model exactly (an escape in a key or a
// read value, deep nesting, a line that is not JSON) is handed to JSON.parse itself, so the result
// always equals JSON.parse's, pruned (claude-line.test.ts checks this on mutated lines).
//
// Paths read: timestamp, version, sessionId, requestId, isSidechain, isApiErrorMessage,
// message.{id, model, usage.{input_tokens, output_tokens, cache_creation_input_tokens,
// cache_read_input_tokens, speed, cache_creation.{ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}},
// content[].{type, id, name}}. Absent keys read as undefined, as they do on JSON.parse's objects.

/** A value on a path, or (where a path expects an object or array) the object it reads. */
export interface LineView {
  timestamp: unknown;
  version: unknown;
  sessionId: unknown;
  requestId: unknown;
  isSidechain: unknown;
  isApiErrorMessage: unknown;
  /** A MessageView when the line's message is an object. */
  message: unknown;
}
export interface MessageView {
  id: unknown;
  model: unknown;
  /** A UsageView when an object. */
  usage: unknown;
  /** An array of BlockView (objects) and other values when an array. */
  content: unknown;
}
export interface UsageView {
  input_tokens: unknown;
  output_tokens: unknown;
  cache_creation_input_tokens: unknown;
  cache_read_input_tokens: unknown;
  speed: unknown;
  /** A CacheCreationView when an object. */
  cache_creation: unknown;
}
export interface CacheCreationView {
  ephemeral_5m_input_tokens: unknown;
  ephemeral_1h_input_tokens: unknown;
}
export interface BlockView {
  type: unknown;
  id: unknown;
  name: unknown;
}

/**
 * Reads the line `buf[start, stop)`; null when it is not JSON. The byte at `stop`, if any, must not
 * continue the line (a newline, as the transcript reader cuts lines).
 */
export function readLine(buf: Buffer, start: number, stop: number): LineView | null {
  const view = scanLine(buf, start, stop);
  if (view !== null) return view;
  try {
    const data: unknown = JSON.parse(buf.toString("utf8", start, stop));
    // Its keys are read as the view's (any value); a line that is no object has none of them.
    return typeof data === "object" && data !== null ? (data as LineView) : null;
  } catch {
    return null;
  }
}

const BAD = -1;
/** Nesting beyond this goes to JSON.parse (this reader recurses, JSON.parse does not). */
const MAX_DEPTH = 200;

// Set by string(): whether the string just scanned had an escape.
let escaped = false;
// Set by value(): the value just read.
let found: unknown;

/** The view of the line, or null when the line needs JSON.parse (or is not JSON). */
export function scanLine(b: Buffer, start: number, stop: number): LineView | null {
  const i = space(b, start, stop);
  if (b[i] !== 0x7b) return null;
  const view: LineView = { timestamp: undefined, version: undefined, sessionId: undefined, requestId: undefined, isSidechain: undefined, isApiErrorMessage: undefined, message: undefined };
  const end = members(b, i, stop, 0, TOP, view, topValue);
  return end !== BAD && space(b, end, stop) === stop ? view : null;
}

/**
 * An object's keys to read, found by length first: most keys of a line are not read, and most of those
 * have a length none of these has (the key lookup was a fifth of this reader's time as a plain loop).
 */
interface Keys {
  names: Buffer[];
  /** Indexes into `names` by name length. */
  byLength: number[][];
}
const keys = (...list: string[]): Keys => {
  const names = list.map((n) => Buffer.from(n));
  const byLength = Array.from({ length: Math.max(...names.map((n) => n.length)) + 1 }, (): number[] => []);
  names.forEach((n, i) => byLength[n.length]!.push(i));
  return { names, byLength };
};
const TOP = keys("timestamp", "version", "sessionId", "requestId", "isSidechain", "isApiErrorMessage", "message");
const MESSAGE = keys("id", "model", "usage", "content");
const USAGE = keys("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "speed", "cache_creation");
const CACHE_CREATION = keys("ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens");
const BLOCK = keys("type", "id", "name");

/**
 * The last string read at one key. Most repeat it (the session, the model and the version on every
 * line, a response's ids and instant on each of its lines): comparing the bytes is cheaper than decoding
 * them again (a usage line reads ~8 strings).
 */
class Recent {
  readonly bytes = Buffer.alloc(128);
  length = -1;
  value = "";
}

// Recent strings of timestamp, version, sessionId and requestId; message id and model; block type and
// name (block ids are unique).
const recents = (n: number) => Array.from({ length: n }, () => new Recent());
const RECENT_TOP = recents(4);
const RECENT_MESSAGE = recents(2);
const RECENT_BLOCK = recents(3);

/** Reads the value at `i` of the key `n` of the object's keys into `into`; returns the index after it. */
type OnValue<T> = (b: Buffer, i: number, stop: number, depth: number, n: number, into: T) => number;

// The stores below name their keys one by one: a store under a computed key costs ~10x as much.

function topValue(b: Buffer, i: number, stop: number, depth: number, n: number, into: LineView): number {
  if (n === 6 && b[i] === 0x7b) {
    const message: MessageView = { id: undefined, model: undefined, usage: undefined, content: undefined };
    into.message = message;
    return members(b, i, stop, depth, MESSAGE, message, messageValue);
  }
  const end = value(b, i, stop, depth, n < 4 ? RECENT_TOP[n]! : null);
  if (n === 0) into.timestamp = found;
  else if (n === 1) into.version = found;
  else if (n === 2) into.sessionId = found;
  else if (n === 3) into.requestId = found;
  else if (n === 4) into.isSidechain = found;
  else if (n === 5) into.isApiErrorMessage = found;
  else into.message = found;
  return end;
}

function messageValue(b: Buffer, i: number, stop: number, depth: number, n: number, into: MessageView): number {
  if (n === 2 && b[i] === 0x7b) {
    const usage: UsageView = { input_tokens: undefined, output_tokens: undefined, cache_creation_input_tokens: undefined, cache_read_input_tokens: undefined, speed: undefined, cache_creation: undefined };
    into.usage = usage;
    return members(b, i, stop, depth, USAGE, usage, usageValue);
  }
  if (n === 3 && b[i] === 0x5b) return content(b, i, stop, depth, into);
  const end = value(b, i, stop, depth, n < 2 ? RECENT_MESSAGE[n]! : null);
  if (n === 0) into.id = found;
  else if (n === 1) into.model = found;
  else if (n === 2) into.usage = found;
  else into.content = found;
  return end;
}

function usageValue(b: Buffer, i: number, stop: number, depth: number, n: number, into: UsageView): number {
  if (n === 5 && b[i] === 0x7b) {
    const cc: CacheCreationView = { ephemeral_5m_input_tokens: undefined, ephemeral_1h_input_tokens: undefined };
    into.cache_creation = cc;
    return members(b, i, stop, depth, CACHE_CREATION, cc, cacheCreationValue);
  }
  const end = value(b, i, stop, depth);
  if (n === 0) into.input_tokens = found;
  else if (n === 1) into.output_tokens = found;
  else if (n === 2) into.cache_creation_input_tokens = found;
  else if (n === 3) into.cache_read_input_tokens = found;
  else if (n === 4) into.speed = found;
  else into.cache_creation = found;
  return end;
}

function cacheCreationValue(b: Buffer, i: number, stop: number, depth: number, n: number, into: CacheCreationView): number {
  const end = value(b, i, stop, depth);
  if (n === 0) into.ephemeral_5m_input_tokens = found;
  else into.ephemeral_1h_input_tokens = found;
  return end;
}

function blockValue(b: Buffer, i: number, stop: number, depth: number, n: number, into: BlockView): number {
  const end = value(b, i, stop, depth, n === 1 ? null : RECENT_BLOCK[n]!);
  if (n === 0) into.type = found;
  else if (n === 1) into.id = found;
  else into.name = found;
  return end;
}

/** message.content as an array: blocks (objects) pruned to type, id and name, other elements whole. */
function content(b: Buffer, i: number, stop: number, depth: number, into: MessageView): number {
  if (depth >= MAX_DEPTH) return BAD;
  const out: unknown[] = [];
  into.content = out;
  i = space(b, i + 1, stop);
  if (b[i] === 0x5d) return i + 1;
  for (;;) {
    if (b[i] === 0x7b) {
      const block: BlockView = { type: undefined, id: undefined, name: undefined };
      out.push(block);
      i = members(b, i, stop, depth + 1, BLOCK, block, blockValue);
    } else {
      i = value(b, i, stop, depth + 1);
      out.push(found);
    }
    if (i === BAD) return BAD;
    i = space(b, i, stop);
    if (b[i] === 0x2c) i = space(b, i + 1, stop);
    else return b[i] === 0x5d ? i + 1 : BAD;
  }
}

/** Walks the object at `i`, reading the keys of `keys` with `onValue` and skipping the others. */
function members<T>(b: Buffer, i: number, stop: number, depth: number, k: Keys, into: T, onValue: OnValue<T>): number {
  if (depth >= MAX_DEPTH) return BAD;
  i = space(b, i + 1, stop);
  if (b[i] === 0x7d) return i + 1;
  for (;;) {
    if (b[i] !== 0x22) return BAD;
    const keyEnd = string(b, i, stop);
    if (keyEnd === BAD || escaped) return BAD; // an escaped key may spell a path's name: JSON.parse decides
    const n = keyIndex(b, i + 1, keyEnd - 1, k);
    i = space(b, keyEnd, stop);
    if (b[i] !== 0x3a) return BAD;
    i = space(b, i + 1, stop);
    i = n === -1 ? skip(b, i, stop, depth + 1) : onValue(b, i, stop, depth + 1, n, into);
    if (i === BAD) return BAD;
    i = space(b, i, stop);
    if (b[i] === 0x2c) i = space(b, i + 1, stop);
    else return b[i] === 0x7d ? i + 1 : BAD;
  }
}

function keyIndex(b: Buffer, from: number, to: number, k: Keys): number {
  const length = to - from;
  if (length >= k.byLength.length) return -1;
  const candidates = k.byLength[length]!;
  for (let c = 0; c < candidates.length; c++) {
    const n = candidates[c]!;
    const name = k.names[n]!;
    let j = 0;
    while (j < length && b[from + j] === name[j]) j++;
    if (j === length) return n;
  }
  return -1;
}

/** The string of the bytes `b[from, to)` (no escapes in them). */
function text(b: Buffer, from: number, to: number, recent: Recent | null): string {
  const n = to - from;
  if (recent !== null && n === recent.length) {
    const r = recent.bytes;
    let k = 0;
    while (k < n && b[from + k] === r[k]) k++;
    if (k === n) return recent.value;
  }
  const s = b.toString("utf8", from, to);
  if (recent !== null && n <= recent.bytes.length) {
    for (let k = 0; k < n; k++) recent.bytes[k] = b[from + k]!;
    recent.length = n;
    recent.value = s;
  }
  return s;
}

/** Reads the value at `i` into `found` (objects and arrays whole, by JSON.parse). */
function value(b: Buffer, i: number, stop: number, depth: number, recent: Recent | null = null): number {
  const c = b[i];
  if (c === 0x22) {
    const end = string(b, i, stop);
    if (end === BAD || escaped) return BAD;
    found = text(b, i + 1, end - 1, recent);
    return end;
  }
  const end = skip(b, i, stop, depth);
  if (end === BAD) return BAD;
  if (c === 0x74) found = true;
  else if (c === 0x66) found = false;
  else if (c === 0x6e) found = null;
  else if (c === 0x7b || c === 0x5b) found = JSON.parse(b.toString("utf8", i, end));
  else found = integer(b, i, end);
  return end;
}

/** A number token's value: plain digits directly, anything else (sign, fraction, exponent, 16+ digits) as JavaScript reads it. */
function integer(b: Buffer, i: number, end: number): number {
  if (end - i > 15) return Number(b.toString("latin1", i, end));
  let v = 0;
  for (let k = i; k < end; k++) {
    const d = b[k]! - 0x30;
    if (d < 0 || d > 9) return Number(b.toString("latin1", i, end));
    v = v * 10 + d;
  }
  return v;
}

/** Skips the value at `i`, checking its grammar; the index after it, or BAD. */
function skip(b: Buffer, i: number, stop: number, depth: number): number {
  const c = b[i];
  if (c === 0x22) return string(b, i, stop);
  if (c === 0x7b) {
    if (depth >= MAX_DEPTH) return BAD;
    i = space(b, i + 1, stop);
    if (b[i] === 0x7d) return i + 1;
    for (;;) {
      if (b[i] !== 0x22) return BAD;
      i = string(b, i, stop);
      if (i === BAD) return BAD;
      i = space(b, i, stop);
      if (b[i] !== 0x3a) return BAD;
      i = skip(b, space(b, i + 1, stop), stop, depth + 1);
      if (i === BAD) return BAD;
      i = space(b, i, stop);
      if (b[i] === 0x2c) i = space(b, i + 1, stop);
      else return b[i] === 0x7d ? i + 1 : BAD;
    }
  }
  if (c === 0x5b) {
    if (depth >= MAX_DEPTH) return BAD;
    i = space(b, i + 1, stop);
    if (b[i] === 0x5d) return i + 1;
    for (;;) {
      i = skip(b, i, stop, depth + 1);
      if (i === BAD) return BAD;
      i = space(b, i, stop);
      if (b[i] === 0x2c) i = space(b, i + 1, stop);
      else return b[i] === 0x5d ? i + 1 : BAD;
    }
  }
  if (c === 0x74) return i + 3 < stop && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65 ? i + 4 : BAD; // true
  if (c === 0x66) return i + 4 < stop && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65 ? i + 5 : BAD; // false
  if (c === 0x6e) return i + 3 < stop && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c ? i + 4 : BAD; // null
  return number(b, i, stop);
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
function number(b: Buffer, i: number, stop: number): number {
  let j = i;
  if (b[j] === 0x2d) j++;
  if (b[j] === 0x30) j++;
  else if (isDigit(b[j])) while (isDigit(b[j])) j++;
  else return BAD;
  if (b[j] === 0x2e) {
    j++;
    if (!isDigit(b[j])) return BAD;
    while (isDigit(b[j])) j++;
  }
  if (b[j] === 0x65 || b[j] === 0x45) {
    j++;
    if (b[j] === 0x2b || b[j] === 0x2d) j++;
    if (!isDigit(b[j])) return BAD;
    while (isDigit(b[j])) j++;
  }
  return j <= stop ? j : BAD;
}

// A view of the buffer being read, for reading four bytes at once.
let words: DataView | null = null;
let wordsOf: Buffer | null = null;
const wordsFor = (b: Buffer): DataView => {
  if (b !== wordsOf) {
    wordsOf = b;
    words = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  return words!;
};

/** Whether one of the four bytes of `x` is below 0x20 (a control character), a quote or a backslash. */
const special = (x: number) => {
  const quote = x ^ 0x22222222;
  const backslash = x ^ 0x5c5c5c5c;
  // Per byte, "below n" (n <= 0x80) and "zero" without carries between bytes deciding: see
  // https://graphics.stanford.edu/~seander/bithacks.html#HasLessInWord
  return (((x - 0x20202020) & ~x) | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash)) & 0x80808080;
};

/** Skips the string at `i` (at its quote): the index after its closing quote, or BAD; sets `escaped`. */
function string(b: Buffer, i: number, stop: number): number {
  const w = wordsFor(b);
  let esc = false;
  for (i++; i < stop; ) {
    // Text runs are passed four bytes at a time, up to the word holding the next special byte.
    while (i + 4 <= stop && special(w.getUint32(i, true)) === 0) i += 4;
    if (i >= stop) break;
    const c = b[i]!;
    if (c === 0x22) {
      escaped = esc;
      return i + 1;
    }
    if (c === 0x5c) {
      esc = true;
      const d = b[i + 1];
      if (d === 0x75) {
        // \uXXXX
        for (let k = 2; k < 6; k++) {
          const h = b[i + k]! | 0x20;
          if (!((h >= 0x30 && h <= 0x39) || (h >= 0x61 && h <= 0x66))) return BAD;
        }
        i += 6;
      } else if (d === 0x22 || d === 0x5c || d === 0x2f || d === 0x62 || d === 0x66 || d === 0x6e || d === 0x72 || d === 0x74) i += 2;
      else return BAD;
    } else if (c < 0x20) return BAD;
    else i++;
  }
  return BAD;
}

/** JSON whitespace (a line has no newline; it would end it). */
function space(b: Buffer, i: number, stop: number): number {
  while (i < stop) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
    i++;
  }
  return i;
}
