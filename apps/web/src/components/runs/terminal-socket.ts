// Smith's terminal protocol, for the browser: binary frames from Smith are an 8-byte big-endian
// output offset followed by the bytes; text frames are JSON. Keeping the offset of the last byte
// seen lets a reconnect ask for exactly what was missed.

export type TerminalServerMessage =
  | { type: "hello"; offset: number; output_bytes: number; status: string }
  | { type: "exit"; status: string; exit_code: number | null }
  | { type: "error"; message: string }
  | { type: "pong" };

export interface TerminalHandlers {
  /** Output in order, each byte once: raw bytes (WebSocket) or text cut at character boundaries (relay). */
  onOutput: (data: Uint8Array | string) => void;
  onMessage: (message: TerminalServerMessage) => void;
  onClose: (code: number, reason: string) => void;
}

export type TerminalClientMessage = { type: "input"; data: string } | { type: "resize"; cols: number; rows: number };

/** A way to the session's terminal: Smith's WebSocket, or the relay through the web server. */
export interface TerminalTransport {
  /** Bytes of output received so far: where a reconnect resumes. */
  readonly offset: number;
  send(message: TerminalClientMessage): void;
  close(): void;
}

export class TerminalSocket implements TerminalTransport {
  private ws: WebSocket;
  offset: number;

  constructor(url: string, offset: number, handlers: TerminalHandlers) {
    this.offset = offset;
    const target = new URL(url);
    target.searchParams.set("offset", String(offset));
    this.ws = new WebSocket(target);
    this.ws.binaryType = "arraybuffer";
    this.ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === "string") {
        handlers.onMessage(JSON.parse(event.data) as TerminalServerMessage);
        return;
      }
      const view = new DataView(event.data);
      const at = Number(view.getBigUint64(0));
      const bytes = new Uint8Array(event.data, 8);
      // A frame that overlaps what we already have (never expected) is trimmed, not repeated.
      const skip = Math.max(0, this.offset - at);
      if (skip < bytes.length) handlers.onOutput(bytes.subarray(skip));
      this.offset = Math.max(this.offset, at + bytes.length);
    };
    this.ws.onclose = (event) => handlers.onClose(event.code, event.reason);
  }

  send(message: TerminalClientMessage) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close() {
    this.ws.onclose = null;
    this.ws.close();
  }
}
