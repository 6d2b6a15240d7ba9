// A WebSocket client of Smith's terminal protocol that counts and hashes what it receives.
import { createHash } from "node:crypto";
import WebSocket from "ws";
import { KEY } from "./stack";

export interface TerminalRun {
  ws: WebSocket;
  bytes: () => number;
  gaps: () => number;
  digest: () => string;
  /** Resolves when the server says the session ended. */
  exited: Promise<void>;
  /** Resolves the next time received output contains `needle`. */
  waitFor(needle: Buffer): Promise<void>;
  onData(listener: (data: Buffer) => void): void;
}

export function connect(base: string, id: string, keep = false): Promise<TerminalRun> {
  const ws = new WebSocket(`${base.replace("http", "ws")}/api/v1/sessions/${id}/terminal`, { headers: { authorization: `Bearer ${KEY}` } });
  const hash = createHash("sha256");
  let next = 0;
  let gaps = 0;
  let resolveExit = () => {};
  const exited = new Promise<void>((r) => (resolveExit = r));
  const listeners: ((data: Buffer) => void)[] = [];
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      if ((JSON.parse(data.toString()) as { type: string }).type === "exit") resolveExit();
      return;
    }
    const offset = Number(data.readBigUInt64BE(0));
    if (offset !== next) gaps++;
    const payload = data.subarray(8);
    next = offset + payload.length;
    if (keep) hash.update(payload);
    for (const l of listeners) l(payload);
  });
  const run: TerminalRun = {
    ws,
    bytes: () => next,
    gaps: () => gaps,
    digest: () => hash.digest("hex"),
    exited,
    waitFor: (needle) =>
      new Promise((resolve) => {
        const listener = (data: Buffer) => {
          if (data.includes(needle)) {
            listeners.splice(listeners.indexOf(listener), 1);
            resolve();
          }
        };
        listeners.push(listener);
      }),
    onData: (l) => listeners.push(l),
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(run));
    ws.once("error", reject);
  });
}
