import type { UsageEventInput } from "@kayos/contracts";
import { agentsDb, type AgentsDb } from "@kayos/db/agents";
import { hashToken } from "@kayos/db/secrets";
import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import type { FastifyInstance } from "fastify";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildObserver } from "../observer/service";
import { createKeyResolver } from "./api-key";
import { ObserverReporter } from "./observer-reporter";

const KEY = "kay_test_reporter_org_a_0123456789";
type Usage = UsageEventInput & { event_id: string };
let dbUrl: string;
let db: AgentsDb;
let observer: FastifyInstance | undefined;
let port = 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kayos-reporter-"));

async function startObserver() {
  observer = await buildObserver({
    logLevel: "silent",
    resolveCaller: createKeyResolver(db),
    databaseUrl: dbUrl,
    env: { OBSERVER_SNAPSHOT_DIR: path.join(tmp, "snapshots") },
  });
  await observer.listen({ host: "127.0.0.1", port });
  port = (observer.server.address() as { port: number }).port;
}
async function stopObserver() {
  await observer?.close();
  observer = undefined;
}

beforeAll(async () => {
  dbUrl = await createTestDatabase("agents");
  db = agentsDb(dbUrl);
  await db.apiKey.create({ data: { organizationId: "org_a", name: "A", prefix: "kay_test", keyHash: hashToken(KEY) } });
  await startObserver();
});
afterAll(async () => {
  await stopObserver();
  await db.$disconnect();
  await dropTestDatabase(dbUrl);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const events = (prefix: string, n: number): Usage[] =>
  Array.from({ length: n }, (_, i) => ({
    event_id: `${prefix}-${i}`,
    session_id: `s-${prefix}`,
    model: "claude-sonnet-4-5",
    timestamp: new Date().toISOString(),
    input_tokens: 10 + i,
    output_tokens: 5,
    source: "nexus",
  }));

const reporter = (spool: string, keyFor: (org: string) => string | undefined = () => KEY) =>
  new ObserverReporter<Usage>({
    url: `http://127.0.0.1:${port}`,
    path: "/api/v1/usage/ingest",
    bodyKey: "events",
    spoolDir: spool,
    keyFor,
    attempts: 2,
    minBackoffMs: 20,
    maxBackoffMs: 100,
    batchSize: 50,
  });

const stored = async (prefix: string) =>
  db.usageEvent.findMany({ where: { organizationId: "org_a", sessionId: `s-${prefix}` }, select: { eventId: true } });

async function until(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("ObserverReporter against the real Observer", () => {
  it("delivers events in batches to the key's organization; sending them again stores nothing twice", async () => {
    const r = reporter(path.join(tmp, "spool-1"));
    r.report("org_a", events("batch", 120));
    await r.flush();
    expect(await stored("batch")).toHaveLength(120);
    r.report("org_a", events("batch", 120));
    await r.flush();
    expect(await stored("batch")).toHaveLength(120);
    expect(r.pending()).toBe(0);
    await r.close();
  });

  it("Observer down, then up: events are spooled to disk and every one arrives exactly once", async () => {
    const spool = path.join(tmp, "spool-2");
    const r = reporter(spool);
    await stopObserver();
    r.report("org_a", events("outage", 70));
    await r.flush();
    expect(fs.readdirSync(spool).filter((f) => f.endsWith(".jsonl")).length).toBeGreaterThan(0);
    expect(r.pending()).toBe(70);
    r.report("org_a", events("outage", 70).slice(0, 5)); // a redelivery of the same ids
    await r.flush();

    await startObserver();
    await until(async () => r.pending() === 0);
    const rows = await stored("outage");
    expect(rows).toHaveLength(70);
    expect(new Set(rows.map((x) => x.eventId)).size).toBe(70);
    expect(fs.readdirSync(spool).filter((f) => f.endsWith(".jsonl"))).toEqual([]);
    await r.close();
  });

  it("a new reporter drains what an earlier process left in the spool", async () => {
    const spool = path.join(tmp, "spool-3");
    await stopObserver();
    const first = reporter(spool);
    first.report("org_a", events("handover", 30));
    await first.close();
    expect(first.pending()).toBe(30);

    await startObserver();
    const second = reporter(spool);
    await until(async () => second.pending() === 0);
    expect(await stored("handover")).toHaveLength(30);
    await second.close();
  });

  it("keeps events spooled while something other than Observer answers 404 at its address", async () => {
    await stopObserver();
    const other = http.createServer((req, res) => (req.resume(), res.writeHead(404).end("Not Found")));
    await new Promise<void>((r) => other.listen(port, "127.0.0.1", r));
    const r = reporter(path.join(tmp, "spool-404"));
    try {
      r.report("org_a", events("not-found", 5));
      await r.flush();
      expect(r.pending()).toBe(5);
    } finally {
      await new Promise((done) => other.close(done));
      await startObserver();
    }
    await until(async () => r.pending() === 0);
    expect(await stored("not-found")).toHaveLength(5);
    await r.close();
  });

  it("keeps events spooled while no key of their organization is known, and sends them once one is", async () => {
    const auth: { key?: string } = {};
    const r = reporter(path.join(tmp, "spool-4"), () => auth.key);
    r.report("org_a", events("nokey", 3));
    await r.flush();
    expect(r.pending()).toBe(3);
    auth.key = KEY;
    await until(async () => r.pending() === 0);
    expect(await stored("nokey")).toHaveLength(3);
    await r.close();
  });
});
