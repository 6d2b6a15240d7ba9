// The least a web terminal can do, as a reference for Smith's throughput: node-pty straight to one
// WebSocket in its own process, output gathered into 64 KB frames with Smith's 8-byte offset header
// (so the same client counts it), and nothing else (no log on disk, no auth, no resume, no limits).
// Run as a process: `node --import tsx bare-relay.ts <command>`; it prints its port.
import pty from "node-pty";
import { WebSocketServer } from "ws";

const FRAME = 64 * 1024;
const command = process.argv[2]!;
const wss: WebSocketServer = new WebSocketServer({ host: "127.0.0.1", port: 0 }, () => console.log((wss.address() as { port: number }).port));
wss.on("connection", (ws) => {
  // The first client message starts the command, as Smith's benchmark session waits for a key.
  ws.once("message", () => {
    const p = pty.spawn("/bin/sh", ["-c", command], { name: "xterm-256color", cols: 120, rows: 32, cwd: "/tmp", env: { PATH: process.env.PATH! }, encoding: null });
    let parts: Buffer[] = [];
    let size = 0;
    let offset = 0;
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (size === 0) return;
      const frame = Buffer.allocUnsafe(8 + size);
      frame.writeBigUInt64BE(BigInt(offset));
      let at = 8;
      for (const part of parts) at += part.copy(frame, at);
      offset += size;
      parts = [];
      size = 0;
      ws.send(frame, { binary: true });
    };
    p.onData((data: string | Buffer) => {
      const buf = data as Buffer;
      parts.push(buf);
      size += buf.length;
      if (size >= FRAME) flush();
      else timer ??= setTimeout(flush, 3);
    });
    p.onExit(() =>
      // node-pty can report the exit before its last read: let the reads finish first.
      setTimeout(() => {
        flush();
        ws.send(JSON.stringify({ type: "exit" }));
      }, 20),
    );
  });
});
process.on("SIGTERM", () => process.exit(0));
