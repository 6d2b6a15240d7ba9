// A session's output: an append-only file on disk (the source of truth for every reader and for
// resume by byte offset) plus the most recent bytes in memory so live readers rarely touch the disk.
// In `pty` mode Smith appends; in `tmux` mode tmux's pipe-pane appends and the log tails the file.
import { EventEmitter } from "node:events";
import fs from "node:fs";

const RING_BYTES = 4 * 1024 * 1024;
const FLUSH_MS = 5;
const FLUSH_BYTES = 256 * 1024;
const TAIL_POLL_MS = 100;
/** Pieces per writev (IOV_MAX is 1024). */
const WRITEV_MAX = 512;
const DROPPED = { offset: -1, buf: Buffer.alloc(0) };

export class OutputLog extends EventEmitter<{ data: [Buffer, number]; end: [] }> {
  private fd: number;
  private ring: { offset: number; buf: Buffer }[] = [];
  private ringBytes = 0;
  private ringHead = 0;
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
    // A small slice of a large read buffer would pin the whole buffer while it sits in the ring.
    if (buf.buffer.byteLength > 2 * buf.length) buf = Buffer.from(buf);
    this.unflushed.push(buf);
    this.unflushedBytes += buf.length;
    if (this.unflushedBytes >= FLUSH_BYTES) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS);
    this.remember(buf, this.size);
  }

  private unflushed: Buffer[] = [];
  private unflushedBytes = 0;
  private flushTimer?: NodeJS.Timeout;

  /** Writes pending bytes to the file (page cache). */
  flush() {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.unflushed.length === 0) return;
    const pieces = this.unflushed;
    this.unflushed = [];
    this.unflushedBytes = 0;
    // One writev per WRITEV_MAX pieces (no concatenated copy); a short write is finished piece by piece.
    for (let from = 0; from < pieces.length; from += WRITEV_MAX) {
      const group = pieces.slice(from, from + WRITEV_MAX);
      let written = fs.writevSync(this.fd, group);
      for (const piece of group) {
        if (written >= piece.length) written -= piece.length;
        else {
          const rest = piece.subarray(written);
          for (let at = 0; at < rest.length;) at += fs.writeSync(this.fd, rest, at);
          written = 0;
        }
      }
    }
  }

  private remember(buf: Buffer, offset: number) {
    this.size = offset + buf.length;
    this.ring.push({ offset, buf });
    this.ringBytes += buf.length;
    // Drop from the front by index (Array.shift is O(n) per call); compact now and then. Only bytes
    // already on disk leave memory; the unflushed tail (at most FLUSH_BYTES) is far smaller than the
    // ring, so this never needs a flush of its own (one per PTY read once the ring was full, before).
    const onDisk = this.size - this.unflushedBytes;
    while (this.ringBytes > RING_BYTES && this.ring.length - this.ringHead > 1 && this.ring[this.ringHead]!.offset + this.ring[this.ringHead]!.buf.length <= onDisk) {
      this.ringBytes -= this.ring[this.ringHead]!.buf.length;
      this.ring[this.ringHead++] = DROPPED; // let the buffer go now, not at the next compaction
    }
    if (this.ringHead > 256) {
      this.ring = this.ring.slice(this.ringHead);
      this.ringHead = 0;
    }
    this.emit("data", buf, offset);
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
    // One read buffer per log, and a copy of exactly what came: a fresh 256 KB buffer per read cost
    // a new mapping of memory each time, and its small slices in the ring pinned it whole.
    const scratch = (this.scratch ??= Buffer.allocUnsafeSlow(256 * 1024));
    for (;;) {
      const n = fs.readSync(this.fd, scratch, 0, scratch.length, this.size);
      if (n <= 0) break;
      this.remember(Buffer.from(scratch.subarray(0, n)), this.size);
    }
    return this.size;
  }

  /** Up to `max` bytes from `from` (memory when recent, else disk). */
  read(from: number, max: number): Buffer {
    const end = Math.min(this.size, from + max);
    if (from >= end) return Buffer.alloc(0);
    const first = this.ring[this.ringHead];
    if (first && from >= first.offset) {
      // Binary search: readers near the live end must not scan the whole ring.
      let lo = this.ringHead;
      let hi = this.ring.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.ring[mid]!.offset <= from) lo = mid;
        else hi = mid - 1;
      }
      const piece = this.ring[lo]!;
      const pieceEnd = piece.offset + piece.buf.length;
      if (from < pieceEnd) return piece.buf.subarray(from - piece.offset, Math.min(pieceEnd, end) - piece.offset);
    }
    const buf = Buffer.allocUnsafe(end - from);
    const n = fs.readSync(this.fd, buf, 0, buf.length, from);
    return buf.subarray(0, n);
  }

  /**
   * Exactly the bytes in [from, from + len) that exist (read may return less per call). With
   * `headroom`, they come after that many unset bytes, for a frame header: one copy, not two.
   */
  readFully(from: number, len: number, headroom = 0): Buffer {
    const parts: Buffer[] = [];
    let at = from;
    const end = Math.min(this.size, from + len);
    while (at < end) {
      const part = this.read(at, end - at);
      if (part.length === 0) break;
      parts.push(part);
      at += part.length;
    }
    if (headroom === 0 && parts.length === 1) return parts[0]!;
    const out = Buffer.allocUnsafe(headroom + at - from);
    let to = headroom;
    for (const part of parts) to += part.copy(out, to);
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
    this.ring = [];
    this.ringBytes = 0;
    this.ringHead = 0;
    this.scratch = undefined;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
