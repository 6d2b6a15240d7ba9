// WeTTY (npm `wetty`, a real web terminal: Express + socket.io + node-pty) as a peer for the Smith
// terminal benchmark, standing in for Debian's ttyd, which has no package candidate on this machine.
// Each run starts WeTTY with a fixed command (it runs one per connection) and talks to it as its
// browser client does: `data` events of output, `commit` of what was consumed (WeTTY's flow
// control pauses the PTY without it), `input` for keystrokes, `logout` when the command exits.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { freePort } from "@kayos/devstack";

// The package exports only its server module (build/server.js); its CLI sits beside it.
const main = path.join(path.dirname(createRequire(import.meta.url).resolve("wetty")), "main.js");

/** WeTTY runs a local command (not `login` or ssh) only for root on localhost. */
export const wettyUsable = () => process.getuid?.() === 0;

async function startWetty(command: string): Promise<{ socket: Socket; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [main, "--host", "127.0.0.1", "--port", String(port), "--base", "/wetty/", "--command", command], {
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.resume();
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`wetty exited with ${code}`)));
    child.stdout!.on("data", (d: Buffer) => {
      if (/listening|Server started/i.test(d.toString())) resolve();
    });
  });
  child.stdout!.resume();
  const socket = io(`http://127.0.0.1:${port}`, { path: "/wetty/socket.io", transports: ["websocket"] });
  return { socket, child };
}

function stop(child: ChildProcess) {
  child.kill("SIGTERM");
  return new Promise((r) => child.once("exit", r));
}

/** `cat file` through WeTTY to this client, timed to the last byte. */
export async function wettyThroughput(file: string): Promise<{ seconds: number; bytes: number }> {
  const { socket, child } = await startWetty(`cat ${file}`);
  let bytes = 0;
  let last = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    socket.on("data", (data: string) => {
      bytes += Buffer.byteLength(data);
      last = performance.now();
      socket.emit("commit", data.length);
    });
    socket.on("logout", () => resolve());
  });
  socket.close();
  await stop(child);
  return { seconds: (last - start) / 1000, bytes };
}

/** One keystroke at a time through `cat`, until its echo arrives. */
export async function wettyLatency(keys: number): Promise<number[]> {
  const { socket, child } = await startWetty("cat");
  await new Promise<void>((r) => socket.once("login", () => r()));
  await new Promise((r) => setTimeout(r, 300));
  let received = "";
  let wake: (() => void) | undefined;
  socket.on("data", (data: string) => {
    received += data;
    socket.emit("commit", data.length);
    wake?.();
  });
  const samples: number[] = [];
  for (let i = 0; i < keys; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    received = "";
    const t0 = performance.now();
    const echoed = new Promise<void>((resolve) => (wake = () => received.includes(ch) && resolve()));
    socket.emit("input", ch);
    await echoed;
    samples.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 2));
  }
  socket.close();
  await stop(child);
  return samples;
}
