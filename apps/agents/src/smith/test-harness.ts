// Test helpers for Smith's integration tests: a fresh database with two organizations' keys, a
// Smith on a free port with its own data folders, and small HTTP/SSE clients.
import { agentsDb, type AgentsDb } from "@kayos/db/agents";
import { hashToken } from "@kayos/db/secrets";
import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import { endKeptSessions } from "@kayos/devstack/testing/script-sessions";
import type { FastifyInstance } from "fastify";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createKeyResolver } from "../shared/api-key";
import { smithEnv, type SmithConfig } from "./env";
import { buildSmith } from "./service";

export const KEY_A = "kay_test_smith_org_a_0123456789";
export const KEY_B = "kay_test_smith_org_b_0123456789";

export interface Harness {
  db: AgentsDb;
  dbUrl: string;
  dir: string;
  config: SmithConfig;
  start(overrides?: Partial<Record<string, string>>): Promise<{ app: FastifyInstance; base: string }>;
  stop(app: FastifyInstance): Promise<void>;
  close(): Promise<void>;
}

/** The command lines of all processes that contain `text` (a secret must be on none, where `ps` shows it to every user). */
export function commandLinesWith(text: string): string[] {
  const lines = fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .map((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, "utf8");
      } catch {
        return "";
      }
    });
  return lines.filter((line) => line.includes(text));
}

export async function listen(app: FastifyInstance) {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return `http://127.0.0.1:${address.port}`;
}

export async function createHarness(env: Record<string, string> = {}): Promise<Harness> {
  const dbUrl = await createTestDatabase("agents");
  const db = agentsDb(dbUrl);
  await db.apiKey.createMany({
    data: [
      { organizationId: "org_a", name: "A", prefix: "kay_test", keyHash: hashToken(KEY_A) },
      { organizationId: "org_b", name: "B", prefix: "kay_test", keyHash: hashToken(KEY_B) },
    ],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smith-test-"));
  const source = (overrides: Partial<Record<string, string>> = {}) =>
    ({
      ...process.env,
      WORKSPACE_ROOT: path.join(dir, "workspaces"),
      SMITH_DATA_DIR: path.join(dir, "data"),
      TMUX_SOCKET_PATH: path.join(dir, "tmux.sock"),
      SMITH_AGENT_INACTIVITY_MS: "60000",
      ...env,
      ...overrides,
    }) as NodeJS.ProcessEnv;
  const apps = new Set<FastifyInstance>();
  const harness: Harness = {
    db,
    dbUrl,
    dir,
    config: smithEnv(source()),
    async start(overrides) {
      const app = await buildSmith({ logLevel: "silent", resolveCaller: createKeyResolver(db), db, config: smithEnv(source(overrides)) });
      apps.add(app);
      return { app, base: await listen(app) };
    },
    async stop(app) {
      apps.delete(app);
      await app.close();
    },
    async close() {
      await Promise.all([...apps].map((a) => a.close()));
      // script(1) sessions outlive their Smith by design; a test's end with it, passed or failed.
      endKeptSessions(harness.config.SMITH_DATA_DIR);
      // Smith's tmux server of this test (a dedicated socket) goes with the test.
      const { execFileSync } = await import("node:child_process");
      try {
        execFileSync("tmux", ["-S", path.join(dir, "tmux.sock"), "kill-server"], { stdio: "ignore" });
      } catch {
        // no server was started
      }
      await db.$disconnect();
      await dropTestDatabase(dbUrl);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function client(base: string, key = KEY_A) {
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    // Tests read fields of answers they have just checked the status of.
    return { status: res.status, body: json as Record<string, unknown> };
  };
  return {
    get: (url: string) => call("GET", url),
    post: (url: string, body: unknown = {}) => call("POST", url, body),
    del: (url: string) => call("DELETE", url),
  };
}

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** Reads an SSE response until `until` says stop (or the stream ends); returns the events. */
export async function readSse(res: Response, until: (events: SseEvent[]) => boolean, timeoutMs = 10_000): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined; done: true }>((r) => setTimeout(() => r({ value: undefined, done: true }), Math.max(1, deadline - Date.now()))),
      ]);
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let sep: number;
      while ((sep = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, sep);
        buffer = buffer.slice(sep + 2);
        const event: SseEvent = { event: "message", data: "" };
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) event.event = line.slice(7);
          else if (line.startsWith("id: ")) event.id = line.slice(4);
          else if (line.startsWith("data: ")) event.data += line.slice(6);
        }
        if (block.startsWith(":")) continue;
        events.push(event);
      }
      if (until(events)) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
