// Output streams: SSE with byte offsets and exact resume (also after the end), the WebSocket
// terminal (input, resize, output with offsets), and a slow client that must not hurt anyone.
import { createHash } from "node:crypto";
import fs from "node:fs";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@kayos/db/secrets";
import { signTerminalToken } from "@kayos/db/terminal-token";
import WebSocket from "ws";
import { client, createHarness, KEY_A, KEY_B, readSse, waitFor, type Harness } from "./test-harness";

let h: Harness;
let api: ReturnType<typeof client>;
let base: string;

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "pty" });
  ({ base } = await h.start());
  api = client(base);
});
afterAll(() => h.close());

const sse = (id: string, query = "", headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/sessions/${id}/stream${query}`, { headers: { authorization: `Bearer ${KEY_A}`, ...headers } });

const outputOf = (events: { event: string; data: string }[]) =>
  events.filter((e) => e.event === "output").map((e) => JSON.parse(e.data) as { offset: number; bytes: number; data: string });

async function ended(id: string) {
  return waitFor(async () => {
    const s = await api.get(`/api/v1/sessions/${id}`);
    return s.body.status !== "running" ? s.body : undefined;
  }, 20_000, `session ${id} to end`);
}

describe("SSE output stream", { timeout: 30_000 }, () => {
  it("resumes from Last-Event-ID with exactly the missed bytes, live and after the session ended", async () => {
    const created = await api.post("/api/v1/sessions/create", { workspace: "ws-sse", command: "for i in $(seq 1 40); do echo line-$i; sleep 0.02; done; printf 'é€😀'" });
    const id = created.body.id as string;
    // First connection: take a few events, then drop.
    const first = await readSse(await sse(id), (ev) => outputOf(ev).length >= 3);
    const got = outputOf(first);
    const lastId = first.filter((e) => e.event === "output").at(-1)!.id!;
    expect(Number(lastId)).toBe(got.at(-1)!.offset + got.at(-1)!.bytes);
    // Reconnect with the last id, read to the end.
    const rest = await readSse(await sse(id, "", { "last-event-id": lastId }), (ev) => ev.some((e) => e.event === "end"), 20_000);
    const restOut = outputOf(rest);
    expect(restOut[0]!.offset).toBe(Number(lastId));
    const text = [...got, ...restOut].map((o) => o.data).join("");
    const session = await ended(id);
    const onDisk = fs.readFileSync((await h.db.smithSession.findUniqueOrThrow({ where: { id } })).outputPath, "utf8");
    expect(text).toBe(onDisk);
    expect(text).toContain("line-1\r\n");
    expect(text).toContain("line-40\r\n");
    expect(text.endsWith("é€😀")).toBe(true);
    expect(JSON.parse(rest.find((e) => e.event === "end")!.data)).toMatchObject({ status: "exited", exit_code: 0, output_bytes: session.output_bytes });
    // After the end: replay from any offset, as exact bytes (base64), then `end`.
    const middle = 50;
    const replay = await readSse(await sse(id, `?offset=${middle}&encoding=base64`), (ev) => ev.some((e) => e.event === "end"));
    const bytes = Buffer.concat(outputOf(replay).map((o) => Buffer.from(o.data, "base64")));
    expect(bytes.equals(Buffer.from(onDisk).subarray(middle))).toBe(true);
  });

  it("refuses an offset beyond the output, and other organizations' sessions", async () => {
    const id = (await api.post("/api/v1/sessions/create", { workspace: "ws-sse2", command: "echo hi" })).body.id as string;
    await ended(id);
    const res = await sse(id, "?offset=999999");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/offset 999999 is beyond/);
    expect((await fetch(`${base}/api/v1/sessions/${id}/stream`, { headers: { authorization: `Bearer ${KEY_B}` } })).status).toBe(404);
  });
});

/** Live heap and buffer bytes after a full collection (garbage would hide what is really held). */
async function retained() {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  // Buffers' memory is released by a concurrent sweeper after the collection: give it time.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Frame {
  offset?: number;
  data?: Buffer;
  json?: { type: string; [k: string]: unknown };
}

/** A terminal client; with `keep: false` it hashes output instead of keeping it (for big outputs). */
function openTerminal(id: string, query = "", keep = true) {
  const ws = new WebSocket(`${base.replace("http", "ws")}/api/v1/sessions/${id}/terminal${query}`, { headers: { authorization: `Bearer ${KEY_A}` } });
  const frames: Frame[] = [];
  const hash = createHash("sha256");
  let next = 0;
  let gaps = 0;
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return void frames.push({ json: JSON.parse(data.toString()) as Frame["json"] });
    const offset = Number(data.readBigUInt64BE(0));
    if (offset !== next) gaps++;
    next = offset + data.length - 8;
    if (keep) frames.push({ offset, data: data.subarray(8) });
    else hash.update(data.subarray(8));
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const text = () => Buffer.concat(frames.filter((f) => f.data).map((f) => f.data!)).toString();
  return { ws, frames, opened, text, digest: () => hash.digest("hex"), gaps: () => gaps, received: () => next };
}

/** Tries an upgrade: 101 with the hello frame, or the refusal's status and JSON body. */
function upgrade(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body?: Record<string, unknown>; hello?: Record<string, unknown> }>((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    ws.once("message", (data: Buffer) => {
      resolve({ status: 101, hello: JSON.parse(data.toString()) as Record<string, unknown> });
      ws.close();
    });
    ws.on("error", () => undefined);
  });
}

describe("WebSocket terminal", { timeout: 60_000 }, () => {
  it("carries input, resize and output with offsets, and says when the session ends", async () => {
    const id = (await api.post("/api/v1/sessions/create", { workspace: "ws-term" })).body.id as string;
    const t = openTerminal(id);
    await t.opened;
    await waitFor(() => t.frames.some((f) => f.json?.type === "hello"));
    t.ws.send(JSON.stringify({ type: "resize", cols: 0, rows: 10 }));
    await waitFor(() => t.frames.find((f) => f.json?.type === "error"));
    expect(t.frames.find((f) => f.json?.type === "error")!.json).toMatchObject({ status: 400, message: expect.stringMatching(/cols/) });
    t.ws.send(JSON.stringify({ type: "resize", cols: 90, rows: 30 }));
    t.ws.send(JSON.stringify({ type: "input", data: "stty size; echo typed-$((6*7))\r" }));
    await waitFor(() => t.text().includes("typed-42"), 10_000, "echo");
    expect(t.text()).toContain("30 90");
    // Offsets are contiguous from 0.
    let at = 0;
    for (const f of t.frames.filter((x) => x.data)) {
      expect(f.offset).toBe(at);
      at += f.data!.length;
    }
    t.ws.send(Buffer.from("exit 5\r"));
    await waitFor(() => t.frames.find((f) => f.json?.type === "exit"), 10_000, "exit frame");
    expect(t.frames.find((f) => f.json?.type === "exit")!.json).toMatchObject({ status: "exited", exit_code: 5 });
    // Reconnect after the end from an offset: the rest of the output, then exit.
    const again = openTerminal(id, "?offset=10");
    await waitFor(() => again.frames.find((f) => f.json?.type === "exit"));
    expect(again.frames.find((f) => f.data)!.offset).toBe(10);
    expect(Buffer.concat(again.frames.filter((f) => f.data).map((f) => f.data!)).equals(Buffer.concat(t.frames.filter((f) => f.data).map((f) => f.data!)).subarray(10))).toBe(true);
  });

  it("refuses upgrades without a key or for unknown sessions", async () => {
    const wsBase = base.replace("http", "ws");
    expect((await upgrade(`${wsBase}/api/v1/sessions/x/terminal`)).status).toBe(401);
    expect((await upgrade(`${wsBase}/api/v1/sessions/nope/terminal`, { "x-api-key": KEY_A })).status).toBe(404);
  });

  it("opens with a control-plane token for the session and refuses expired, misdirected, forged tokens and keys in the URL", async () => {
    const id = (await api.post("/api/v1/sessions/create", { workspace: "ws-token", command: "sleep 60" })).body.id as string;
    const other = (await api.post("/api/v1/sessions/create", { workspace: "ws-token", command: "sleep 60" })).body.id as string;
    const url = (query: string) => `${base.replace("http", "ws")}/api/v1/sessions/${id}/terminal?${query}`;
    const sign = (over: Partial<Parameters<typeof signTerminalToken>[0]> = {}) =>
      signTerminalToken({ sessionId: id, organizationId: "org_a", apiKey: KEY_A, ...over });

    const opened = await upgrade(url(`token=${sign()}&offset=0`));
    expect(opened).toMatchObject({ status: 101, hello: { type: "hello", session_id: id } });

    const expired = await upgrade(url(`token=${sign({ now: Date.now() - 120_000, ttlSeconds: 60 })}`));
    expect(expired).toMatchObject({ status: 401, body: { message: expect.stringMatching(/expired/) } });
    const misdirected = await upgrade(url(`token=${sign({ sessionId: other })}`));
    expect(misdirected).toMatchObject({ status: 401, body: { message: `Terminal token is for session ${other}, not ${id}` } });
    // Signed with org_b's key but claiming org_a: no key of org_a matches.
    const forged = await upgrade(url(`token=${sign({ apiKey: KEY_B })}`));
    expect(forged).toMatchObject({ status: 401, body: { message: expect.stringMatching(/signature/) } });
    // A genuine org_b token reaches only org_b's sessions.
    expect((await upgrade(url(`token=${sign({ apiKey: KEY_B, organizationId: "org_b" })}`))).status).toBe(404);
    expect((await upgrade(url("token=not-a-jwt"))).status).toBe(401);

    const revokedKey = "kay_test_smith_org_a_revoked_0123";
    await h.db.apiKey.create({ data: { organizationId: "org_a", name: "revoked", prefix: "kay_test", keyHash: hashToken(revokedKey), revokedAt: new Date() } });
    expect((await upgrade(url(`token=${sign({ apiKey: revokedKey })}`))).status).toBe(401);

    const inUrl = await upgrade(url(`access_token=${KEY_A}`));
    expect(inUrl).toMatchObject({ status: 401, body: { message: expect.stringMatching(/access_token/) } });
    expect((await upgrade(url(`access_token=${KEY_A}`), { authorization: `Bearer ${KEY_A}` })).status).toBe(401);
    await Promise.all([api.del(`/api/v1/sessions/${id}`), api.del(`/api/v1/sessions/${other}`)]);
  });

  it("lets a stalled client fall behind without holding output in memory, then serves it every byte from disk", async () => {
    const id = (await api.post("/api/v1/sessions/create", { workspace: "ws-slow", command: "sleep 0.5; head -c 30000000 /dev/urandom | base64 -w 100" })).body.id as string;
    const slow = openTerminal(id, "", false);
    const fast = openTerminal(id, "", false);
    await Promise.all([slow.opened, fast.opened]);
    // Stop reading on the slow client's socket: the server's sends to it back up.
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const retainedBefore = await retained();
    await waitFor(() => fast.frames.some((f) => f.json?.type === "exit"), 50_000, "fast client to finish");
    const growth = (await retained()) - retainedBefore;
    const row = await h.db.smithSession.findUniqueOrThrow({ where: { id } });
    const total = Number(row.outputBytes);
    expect(total).toBeGreaterThan(40_000_000);
    expect(slow.received()).toBeLessThan(total);
    // The stalled client holds at most its in-flight window (plus the recent-output ring), not
    // the 40 MB it has not read.
    expect(growth).toBeLessThan(12 * 1024 * 1024);
    socket.resume();
    await waitFor(() => slow.frames.some((f) => f.json?.type === "exit"), 50_000, "slow client to catch up");
    const disk = createHash("sha256").update(fs.readFileSync(row.outputPath)).digest("hex");
    expect([fast.gaps(), slow.gaps()]).toEqual([0, 0]);
    expect(fast.digest()).toBe(disk);
    expect(slow.digest()).toBe(disk);
  });
});
