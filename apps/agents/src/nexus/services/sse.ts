// Server-sent events on a hijacked Fastify reply, with a heartbeat so proxies keep quiet streams open.
import type { FastifyReply } from "fastify";

export class Sse {
  private closed = false;
  private readonly closers: (() => void)[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly reply: FastifyReply,
    headers: Record<string, string> = {},
  ) {
    reply.hijack();
    reply.raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      ...headers,
    });
    reply.raw.flushHeaders();
    this.heartbeat = setInterval(() => reply.raw.write(": keep-alive\n\n"), 15_000);
    this.heartbeat.unref();
    reply.raw.on("close", () => this.markClosed());
  }

  get isClosed() {
    return this.closed;
  }

  onClose(callback: () => void) {
    if (this.closed) callback();
    else this.closers.push(callback);
  }

  send(event: string, data: unknown, id?: number) {
    if (this.closed) return;
    this.reply.raw.write(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end() {
    if (this.closed) return;
    this.reply.raw.end();
    this.markClosed();
  }

  private markClosed() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const c of this.closers.splice(0)) c();
  }
}
