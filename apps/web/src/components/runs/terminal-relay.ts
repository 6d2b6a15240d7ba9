// Smith's terminal through the web server, for browsers that cannot reach the agent host's port:
// output comes from the run's stream (SSE through the web's proxy; event ids are byte offsets, so
// EventSource's own reconnects resume exactly), keystrokes and resizes go as calls to the control
// plane, one at a time so they arrive in order.
import type { TerminalClientMessage, TerminalHandlers, TerminalTransport } from "./terminal-socket";

export interface RelayCalls {
  input: (data: string) => Promise<unknown>;
  resize: (cols: number, rows: number) => Promise<unknown>;
}

/** Keystrokes per call: a paste goes in pieces well under the control plane's 64 KB limit. */
const INPUT_PIECE = 16 * 1024;

type Output = { offset: number; bytes: number; data: string };
type End = { status: string; exit_code: number | null; output_bytes: number };

export class TerminalRelay implements TerminalTransport {
  private source: EventSource;
  offset: number;
  private typed = "";
  private size: { cols: number; rows: number } | null = null;
  private busy = false;

  constructor(
    runId: string,
    offset: number,
    private readonly handlers: TerminalHandlers,
    private readonly calls: RelayCalls,
  ) {
    this.offset = offset;
    this.source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/stream?last_event_id=${offset}`);
    // Smith's first event is also named "open": only that one carries data.
    this.source.addEventListener("open", (event) => {
      if (!(event instanceof MessageEvent)) return;
      const open = JSON.parse(event.data as string) as { offset: number; output_bytes: number };
      handlers.onMessage({ type: "hello", offset: open.offset, output_bytes: open.output_bytes, status: "running" });
    });
    this.source.addEventListener("output", (event) => {
      const out = JSON.parse((event as MessageEvent<string>).data) as Output;
      if (out.offset + out.bytes <= this.offset) return;
      handlers.onOutput(out.data);
      this.offset = out.offset + out.bytes;
    });
    this.source.addEventListener("end", (event) => {
      const end = JSON.parse((event as MessageEvent<string>).data) as End;
      this.source.close();
      handlers.onMessage({ type: "exit", status: end.status, exit_code: end.exit_code });
    });
    // EventSource retries by itself; once it gives up (an HTTP error answer) the caller reconnects.
    this.source.onerror = () => {
      if (this.source.readyState === EventSource.CLOSED) handlers.onClose(1006, "The web server could not stream this session's output");
    };
  }

  send(message: TerminalClientMessage) {
    if (message.type === "input") this.typed += message.data;
    else this.size = { cols: message.cols, rows: message.rows };
    this.flush();
  }

  private flush() {
    if (this.busy) return;
    let call: Promise<unknown>;
    if (this.typed) {
      let piece = this.typed.slice(0, INPUT_PIECE);
      // Never cut between the two halves of a character outside the BMP (an emoji).
      if (piece.length === INPUT_PIECE && /[\uD800-\uDBFF]$/.test(piece)) piece = piece.slice(0, -1);
      this.typed = this.typed.slice(piece.length);
      call = this.calls.input(piece);
    } else if (this.size) {
      const { cols, rows } = this.size;
      this.size = null;
      call = this.calls.resize(cols, rows);
    } else return;
    this.busy = true;
    call
      .catch((error: Error) => this.handlers.onMessage({ type: "error", message: error.message }))
      .finally(() => {
        this.busy = false;
        this.flush();
      });
  }

  close() {
    this.source.onerror = null;
    this.source.close();
  }
}
