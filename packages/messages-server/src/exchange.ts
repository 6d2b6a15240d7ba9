import { type IncomingMessage, type ServerResponse } from "node:http";
import { type ApiErrorType, errorBody } from "./api-errors";

/** One request/response pair, aware of the client going away (abort, timeout) mid-answer. */
export class Exchange {
  closed = false;
  private wakers = new Set<() => void>();

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
  ) {
    res.setHeader("request-id", requestId);
    res.on("close", () => {
      this.closed = true;
      for (const wake of this.wakers) wake();
    });
  }

  /** Waits `ms`, or less if the client disconnects first. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /** Resolves when the client disconnects (for replies that never answer). */
  untilClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.wakers.add(resolve));
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.closed) return;
    this.res.writeHead(status, { ...headers, "content-type": "application/json" });
    this.res.end(JSON.stringify(body));
  }

  error(status: number, type: ApiErrorType, message: string, headers: Record<string, string> = {}): void {
    this.json(status, errorBody(type, message, this.requestId), headers);
  }
}

/** Reads the body up to `limit` bytes; undefined when it is larger (the rest is drained). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
