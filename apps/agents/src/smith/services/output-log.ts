// A session's output: an append-only file on disk (the source of truth for every reader and for
// resume by byte offset) plus the most recent bytes in memory so live readers rarely touch the disk.
// In `pty` mode Smith appends; in `tmux` mode tmux's pipe-pane appends and the log tails the file.
import { EventEmitter } from "node:events";
import fs from "node:fs";

/** Recent output kept in memory: a circular buffer growing from RING_MIN up to RING_MAX bytes. */
const RING_MIN = 64 * 1024;
const RING_MAX = 4 * 1024 * 1024;
const FLUSH_MS = 5;
const FLUSH_BYTES = 256 * 1024;
const TAIL_POLL_MS = 100;

/** Copies `buf` into `ring` where the log's byte `offset` belongs, wrapping at the ring's end. */
function put(ring: Buffer, buf: Buffer, offset: number) {
  const at = offset % ring.length;
  const first = Math.min(buf.length, ring.length - at);
  buf.copy(ring, at, 0, first);
  if (first < buf.length) buf.copy(ring, 0, first);
}

export class OutputLog extends EventEmitter<{ data: [Buffer, number]; end: [] }> {
  private fd: number;
  // The last `held` bytes of the log, byte `o` at `o % ring.length`. Copying each PTY read into one
  // buffer lets the read die young: keeping the reads themselves (thousands of small Buffers, each
  // outliving several scavenges) cost a Smith relaying a `cat` about a tenth of its throughput in GC.
  private ring?: Buffer;
  private held = 0;
  /** Bytes on disk; everything after it is in the ring (pty mode appends, flushed every few ms). */
  private flushed: number;
  private flushTimer?: NodeJS.Timeout;
  private watcher?: fs.FSWatcher;
  private poll?: NodeJS.Timeout;
  size: number;
  ended = false;
  /** Holders of this log (the session and its readers); the file closes when the last lets go. */
  private refs = 1;

  private constructor(
    readonly file: string,
    fd: number,
    size: number,
  ) {
    super();
    this.setMaxListeners(0);
    this.fd = fd;
    this.size = size;
    this.flushed = size;
  }

  /** Opens (creating if missing) the log; `size` starts at what is already on disk. */
  static open(file: string): OutputLog {
    const fd = fs.openSync(file, "a+");
    return new OutputLog(file, fd, fs.fstatSync(fd).size);
  }

  /** A finished log, for readers of ended sessions. */
  static openEnded(file: string): OutputLog {
    const log = OutputLog.open(file);
    log.ended = true;
    return log;
  }

  /**
   * pty mode. Bytes are served from memory at once and written to disk a few ms later, in one write
   * for many small PTY reads (sooner when much is pending); nothing leaves memory before it is on disk.
   */
  append(buf: Buffer) {
    if (this.ended || buf.length === 0) return;
    const offset = this.size;
    this.remember(buf);
    if (this.size - this.flushed >= FLUSH_BYTES) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
    this.emit("data", buf, offset);
  }

  /** Writes pending bytes to the file (page cache). */
  flush() {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.flushed === this.size) return;
    const pieces = this.ringRanges(this.flushed, this.size - this.flushed);
    let written = fs.writevSync(this.fd, pieces);
    // A short write is finished piece by piece.
    for (const piece of pieces) {
      if (written >= piece.length) written -= piece.length;
      else {
        const rest = piece.subarray(written);
        for (let at = 0; at < rest.length; ) at += fs.writeSync(this.fd, rest, at);
        written = 0;
      }
    }
    this.flushed = this.size;
  }

  /** Adds `buf` at the end of the ring (and so of `size`); unflushed bytes never get overwritten. */
  private remember(buf: Buffer) {
    const n = buf.length;
    let ring = this.ring;
    if (!ring || (this.held + n > ring.length && ring.length < RING_MAX)) ring = this.grow(this.held + n);
    // Not enough room for the unflushed bytes and these: write the unflushed ones now.
    if (this.size + n - this.flushed > ring.length) this.flush();
    if (n > ring.length) {
      // More than the ring holds at once: straight to disk, the ring keeps its end.
      for (let at = 0; at < n; ) at += fs.writeSync(this.fd, buf, at);
      this.size += n;
      this.flushed = this.size;
      this.held = 0;
      buf = buf.subarray(n - ring.length);
    } else this.size += n;
    put(ring, buf, this.size - buf.length);
    this.held = Math.min(ring.length, this.held + buf.length);
  }

  /** A ring large enough for `need` bytes (up to RING_MAX), holding what the old one held. */
  private grow(need: number): Buffer {
    let length = this.ring?.length ?? RING_MIN;
    while (length < need && length < RING_MAX) length *= 2;
    const ring = Buffer.allocUnsafeSlow(length);
    let offset = this.size - this.held;
    for (const piece of this.ringRanges(offset, this.held)) {
      put(ring, piece, offset);
      offset += piece.length;
    }
    this.ring = ring;
    return ring;
  }

  /** The ring's bytes for [from, from + len) as one or two views (valid until the next append). */
  private ringRanges(from: number, len: number): Buffer[] {
    const ring = this.ring;
    if (!ring || len === 0) return [];
    const at = from % ring.length;
    const first = Math.min(len, ring.length - at);
    const head = ring.subarray(at, at + first);
    return first < len ? [head, ring.subarray(0, len - first)] : [head];
  }

  /** tmux mode: something else appends to the file; pick up growth by inotify and by polling. */
  tail() {
    const check = () => this.catchUp();
    try {
      this.watcher = fs.watch(this.file, check);
      this.watcher.on("error", () => undefined);
    } catch {
      // polling alone still works
    }
    this.poll = setInterval(check, TAIL_POLL_MS);
    this.poll.unref();
    check();
  }

  private scratch?: Buffer;

  /** Reads whatever the file holds beyond `size`; returns the new size. */
  catchUp(): number {
    if (this.ended) return this.size;
    // One read buffer per log (a fresh 256 KB buffer per read cost a new mapping of memory each time).
    const scratch = (this.scratch ??= Buffer.allocUnsafeSlow(256 * 1024));
    for (;;) {
      const n = fs.readSync(this.fd, scratch, 0, scratch.length, this.size);
      if (n <= 0) break;
      const offset = this.size;
      // Listeners may keep what they are given (a partial line): theirs is a copy.
      const buf = Buffer.from(scratch.subarray(0, n));
      this.remember(buf);
      this.flushed = this.size;
      this.emit("data", buf, offset);
    }
    return this.size;
  }

  /**
   * Exactly the bytes in [from, from + len) that exist, in a buffer of the caller's own (the ring is
   * overwritten as output comes). With `headroom`, they come after that many unset bytes, for a
   * frame header: one copy, not two.
   */
  readFully(from: number, len: number, headroom = 0): Buffer {
    const end = Math.max(from, Math.min(this.size, from + len));
    const out = Buffer.allocUnsafe(headroom + end - from);
    // What left the ring is on disk.
    const inRing = Math.min(end, Math.max(from, this.size - this.held));
    for (let at = from; at < inRing; ) {
      const n = fs.readSync(this.fd, out, headroom + at - from, inRing - at, at);
      if (n <= 0) return out.subarray(0, headroom + at - from);
      at += n;
    }
    let to = headroom + inRing - from;
    for (const piece of this.ringRanges(inRing, end - inRing)) to += piece.copy(out, to);
    return out;
  }

  /** No more bytes will come; readers drain to `size` and finish. */
  end() {
    if (this.ended) return;
    this.flush();
    this.catchUpIfTailing();
    this.stopTail();
    this.ended = true;
    this.emit("end");
  }

  private catchUpIfTailing() {
    if (this.poll) this.catchUp();
  }

  private stopTail() {
    this.watcher?.close();
    if (this.poll) clearInterval(this.poll);
    this.watcher = undefined;
    this.poll = undefined;
  }

  retain() {
    this.refs++;
    return this;
  }

  release() {
    if (--this.refs <= 0) this.close();
  }

  close() {
    this.flush();
    this.stopTail();
    // A finished session's closures keep its log reachable until a full GC finds them: its up to 4 MB of
    // output goes now, not then (Smith grew ~4 MB per finished session, and later sessions ran slower).
    this.ring = undefined;
    this.held = 0;
    this.scratch = undefined;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
