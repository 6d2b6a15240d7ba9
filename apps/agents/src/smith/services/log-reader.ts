// Delivers a log to one client from a byte offset: exactly the bytes it has not seen, in order, with
// no gaps or duplicates. Each client has its own cursor and at most `sink.ready()` worth of bytes in
// flight: a slow client falls behind and is served from disk later, it never holds memory or the PTY.
import type { OutputLog } from "./output-log";

const CHUNK = 64 * 1024;
/** Output that keeps coming in PTY-sized pieces (a `cat` of a big file) waits this long to go out in larger frames. */
const BULK_GATHER_MS = 3;
const BULK_BYTES = 2048;

export interface LogSink {
  /** Whether another chunk may be sent now. */
  ready(): boolean;
  /** Called once when `ready()` may have become true again. */
  onReady(callback: () => void): void;
  /** `chunk` starts with the reader's `headroom` unset bytes (for a frame header), then the output from `offset`. */
  send(chunk: Buffer, offset: number): void;
  /** Everything up to the end of an ended log was sent. */
  finish(): void;
}

/** Length of `buf` without a trailing incomplete UTF-8 sequence (so text chunks never split a character). */
export function utf8SafeLength(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = buf[n - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

export class LogReader {
  private pumping = false;
  private waiting = false;
  private closed = false;
  private scheduled = false;
  private lastPumpAt = 0;
  private lastPumpBytes = 0;
  // Output arrives in PTY reads of a few KB. Interactive output (an echo, a prompt) goes out on the
  // next turn of the event loop; bulk output, which came in a sizable pump moments ago, gathers for
  // a few ms first: one frame (and one write) per 64 KB instead of one per PTY read.
  private readonly onGrow = () => {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.pump();
    };
    const bulk = this.lastPumpBytes >= BULK_BYTES && performance.now() - this.lastPumpAt < 2 * BULK_GATHER_MS && this.log.size - this.cursor < CHUNK;
    if (bulk) setTimeout(run, BULK_GATHER_MS);
    else setImmediate(run);
  };

  constructor(
    private readonly log: OutputLog,
    public cursor: number,
    private readonly sink: LogSink,
    private readonly opts: { textSafe?: boolean; headroom?: number } = {},
  ) {
    log.on("data", this.onGrow);
    log.on("end", this.onEnd);
    queueMicrotask(() => this.pump());
  }

  private readonly onEnd = () => this.pump();

  pump() {
    if (this.pumping || this.closed || this.waiting) return;
    this.pumping = true;
    const from = this.cursor;
    try {
      const headroom = this.opts.headroom ?? 0;
      while (this.cursor < this.log.size && this.sink.ready()) {
        let chunk = this.log.readFully(this.cursor, CHUNK, headroom);
        if (this.opts.textSafe && !this.log.ended) {
          chunk = chunk.subarray(0, headroom + utf8SafeLength(chunk.subarray(headroom)));
          if (chunk.length === headroom) break; // half a character: wait for the rest
        }
        this.sink.send(chunk, this.cursor);
        this.cursor += chunk.length - headroom;
      }
    } finally {
      this.pumping = false;
      this.lastPumpAt = performance.now();
      this.lastPumpBytes = this.cursor - from;
    }
    if (this.closed) return;
    if (this.log.ended && this.cursor >= this.log.size) {
      this.close();
      this.sink.finish();
    } else if (this.cursor < this.log.size && !this.sink.ready()) {
      this.waiting = true;
      this.sink.onReady(() => {
        this.waiting = false;
        this.pump();
      });
    }
  }

  close() {
    this.closed = true;
    this.log.off("data", this.onGrow);
    this.log.off("end", this.onEnd);
  }
}
