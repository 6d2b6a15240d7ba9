// Reporting to a real Observer through an outage: Observer down, a session runs, Smith restarts,
// Observer comes back — every output line arrives exactly once, in the session's organization.
import type { FastifyInstance } from "fastify";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildObserver } from "../observer/service";
import { createKeyResolver } from "../shared/api-key";
import { Reporter } from "./services/reporter";
import { client, createHarness, KEY_A, KEY_B, waitFor, type Harness } from "./test-harness";

let h: Harness;
let observer: FastifyInstance | undefined;

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "pty" });
});
afterAll(async () => {
  await observer?.close();
  await h.close();
});

const spoolBytes = () => {
  const dir = path.join(h.config.SMITH_DATA_DIR, "spool", "org_a");
  if (!fs.existsSync(dir)) return 0;
  const ack = fs.existsSync(path.join(dir, "ack")) ? Number(fs.readFileSync(path.join(dir, "ack"), "utf8")) : 0;
  return fs.statSync(path.join(dir, "queue.jsonl")).size - ack;
};

/** Listens on a free loopback port: Observer's address until Observer itself takes it over. */
async function holdAddress(server: net.Server) {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, observerUrl: `http://127.0.0.1:${port}` };
}

/** Runs `command` in a new session of the Smith at `base` until it exits; resolves with its id. */
async function runToEnd(base: string, workspace: string, command: string) {
  const api = client(base);
  const id = (await api.post("/api/v1/sessions/create", { workspace, command })).body.id as string;
  await waitFor(async () => (await api.get(`/api/v1/sessions/${id}`)).body.status === "exited", 20_000, "session end");
  return id;
}

describe("reporting to Observer", { timeout: 90_000 }, () => {
  it("spools while Observer is down and delivers every line exactly once when it is back, across a Smith restart", async () => {
    // Observer is down: its port refuses every connection. Holding the port (rather than leaving it
    // free) keeps another test's server, started meanwhile, from taking it.
    const down = net.createServer((socket) => socket.destroy());
    const { port, observerUrl } = await holdAddress(down);
    const first = await h.start({ CODINGOBSERVER_URL: observerUrl });
    const id = await runToEnd(first.base, "rep", "for i in $(seq 1 300); do echo line-$i; done");
    await waitFor(() => spoolBytes() > 0, 5000, "spooled entries");
    // Smith restarts with the spool still undelivered; the new Smith takes it over.
    await h.stop(first.app);
    const second = await h.start({ CODINGOBSERVER_URL: observerUrl });
    await new Promise((r) => setTimeout(r, 500));
    observer = await buildObserver({ logLevel: "silent", resolveCaller: createKeyResolver(h.db), databaseUrl: h.dbUrl });
    await new Promise((r) => down.close(r));
    await observer.listen({ host: "127.0.0.1", port });
    const lines = await waitFor(
      async () => {
        const res = await fetch(`${observerUrl}/api/v1/logs/session/${id}?limit=1000`, { headers: { authorization: `Bearer ${KEY_A}` } });
        if (res.status !== 200) return undefined;
        const page = (await res.json()) as { entries: { source: string; log_line: string }[] };
        const out = page.entries.filter((e) => e.source === "smith.output").map((e) => e.log_line);
        return page.entries.some((e) => e.source === "smith.session" && e.log_line.startsWith("session ended")) && out.length >= 300 ? out : undefined;
      },
      40_000,
      "lines in Observer",
    );
    expect(lines.filter((l) => l.startsWith("line-")).sort()).toEqual(Array.from({ length: 300 }, (_, i) => `line-${i + 1}`).sort());
    await waitFor(() => spoolBytes() === 0, 10_000, "spool drained");
    // Another organization sees none of it.
    const other = await fetch(`${observerUrl}/api/v1/logs/session/${id}`, { headers: { authorization: `Bearer ${KEY_B}` } });
    expect(((await other.json()) as { entries?: unknown[] }).entries ?? []).toEqual([]);
    await h.stop(second.app);
  });

  it("keeps entries spooled while something other than Observer answers 404 at its address", async () => {
    // A service without Observer's routes holds the address (a proxy before Observer is deployed, a wrong port).
    let refused = 0;
    const other = http.createServer((req, res) => {
      refused++;
      req.resume();
      res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Route POST:/api/v1/logs/ingest not found"}');
    });
    const { port, observerUrl } = await holdAddress(other);
    const smith = await h.start({ CODINGOBSERVER_URL: observerUrl });
    const id = await runToEnd(smith.base, "rep-404", "for i in $(seq 1 50); do echo wrong-$i; done");
    await waitFor(() => refused >= 2, 10_000, "retries against the 404");
    expect(spoolBytes()).toBeGreaterThan(0);
    await new Promise((r) => other.close(r));
    const real = await buildObserver({ logLevel: "silent", resolveCaller: createKeyResolver(h.db), databaseUrl: h.dbUrl });
    await real.listen({ host: "127.0.0.1", port });
    try {
      const lines = await waitFor(
        async () => {
          // A kept-alive connection to the 404 service may still be in the pool: a failed fetch just retries.
          const res = await fetch(`${observerUrl}/api/v1/logs/session/${id}?limit=1000`, { headers: { authorization: `Bearer ${KEY_A}` } }).catch(() => undefined);
          if (res?.status !== 200) return undefined;
          const page = (await res.json()) as { entries?: { source: string; log_line: string }[] };
          const out = (page.entries ?? []).filter((e) => e.source === "smith.output").map((e) => e.log_line);
          return out.length >= 50 ? out : undefined;
        },
        30_000,
        "lines in Observer",
      );
      expect(lines.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `wrong-${i + 1}`).sort());
    } finally {
      await h.stop(smith.app);
      await real.close();
    }
  });

  it("retires the reporter keys of an old SMITH_REPORTER_SECRET once the new one is used", async () => {
    const reporter = (secret: string) => new Reporter({ spoolDir: path.join(h.config.SMITH_DATA_DIR, "rotation"), secret, db: h.db, warn: () => undefined });
    // A resolver per check: each remembers its answers for 30 s.
    const callerOf = (key: string) =>
      createKeyResolver(h.db)({ headers: { authorization: `Bearer ${key}` } } as never).then((c) => c.organizationId, (e: Error) => e.message);
    const oldKey = await reporter("an-old-reporter-secret-0123").keyFor("org_rotation");
    expect(await callerOf(oldKey)).toBe("org_rotation");
    const newKey = await reporter("a-new-reporter-secret-456789").keyFor("org_rotation");
    expect(await callerOf(newKey)).toBe("org_rotation");
    expect(await callerOf(oldKey)).toBe("Invalid or revoked API key");
  });
});
