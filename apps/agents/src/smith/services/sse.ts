// Server-sent events on a hijacked Fastify reply, with the socket's own backpressure exposed.
import type { FastifyReply } from "fastify";
import type { ServerResponse } from "node:http";

const HIGH_WATER = 1024 * 1024;

export class SseStream {
  readonly raw: ServerResponse;
  private heartbeat: NodeJS.Timeout;
  closed = false;

  constructor(reply: FastifyReply) {
    reply.hijack();
    this.raw = reply.raw;
    this.raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    this.raw.flushHeaders();
    // Proxies close quiet connections; a comment line every 15 s keeps them open.
    this.heartbeat = setInterval(() => this.raw.write(": keep-alive\n\n"), 15_000);
    this.heartbeat.unref();
    this.raw.on("close", () => this.onClosed());
  }

  private closers: (() => void)[] = [];

  onClose(callback: () => void) {
    if (this.closed) callback();
    else this.closers.push(callback);
  }

  private onClosed() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const c of this.closers) c();
  }

  /** Writes one event; `data` is one line (JSON). Returns false when the socket buffer is full. */
  send(event: string, data: string, id?: string | number): boolean {
    if (this.closed) return false;
    return this.raw.write(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${data}\n\n`);
  }

  ready() {
    return !this.closed && this.raw.writableLength < HIGH_WATER;
  }

  onDrain(callback: () => void) {
    this.raw.once("drain", callback);
  }

  end() {
    if (this.closed) return;
    this.raw.end();
    this.onClosed();
  }
}
