// Shared setup of Nexus's integration tests: a fresh database, two organizations' keys, the local
// Messages server as Claude, and a Nexus over real HTTP that can be closed and rebuilt on the same
// database (a restart).
import { agentsDb, type AgentsDb } from "@kayos/db/agents";
import { hashToken } from "@kayos/db/secrets";
import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import { startMessagesServer, type MessagesServer } from "@kayos/messages-server";
import type { FastifyInstance } from "fastify";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createKeyResolver } from "../shared/api-key";
import type { NexusConfig } from "./env";
import { buildNexus } from "./service";

export const KEY_A = "kay_test_nexus_org_a_0123456789";
export const KEY_B = "kay_test_nexus_org_b_0123456789";

export interface SseEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

export interface StreamOptions {
  key?: string;
  lastEventId?: number;
  stopAfter?: number;
  until?: (e: SseEvent) => boolean;
  method?: string;
  body?: unknown;
  timeoutMs?: number;
  accept?: string;
}

export async function listen(app: FastifyInstance, port = 0) {
  await app.listen({ host: "127.0.0.1", port });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return `http://127.0.0.1:${address.port}`;
}

/** Something started on the test database before Nexus (e.g. Observer), closed after it. */
export type Sidecar = (dbUrl: string, db: AgentsDb) => Promise<{ config: Partial<NexusConfig>; close: () => Promise<void> }>;

export async function startNexus(config: Partial<NexusConfig> = {}, sidecar?: Sidecar) {
  const dbUrl = await createTestDatabase("agents");
  const db: AgentsDb = agentsDb(dbUrl);
  await db.apiKey.createMany({
    data: [
      { organizationId: "org_a", name: "A", prefix: "kay_test", keyHash: hashToken(KEY_A) },
      { organizationId: "org_b", name: "B", prefix: "kay_test", keyHash: hashToken(KEY_B) },
    ],
  });
  const side = sidecar ? await sidecar(dbUrl, db) : undefined;
  const messages: MessagesServer = await startMessagesServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kayos-nexus-"));
  const settings: Partial<NexusConfig> = {
    ANTHROPIC_API_KEY: "test",
    ANTHROPIC_BASE_URL: messages.url,
    NEXUS_DATA_DIR: dataDir,
    NEXUS_MAX_PROMPT_CHARS: 2000,
    NEXUS_MAX_RETRIES: 2,
    CODINGOBSERVER_URL: undefined,
    KAYSMITH_URL: undefined,
    ...side?.config,
    ...config,
  };
  const build = () => buildNexus({ logLevel: "silent", resolveCaller: createKeyResolver(db), db, databaseUrl: dbUrl, config: settings });
  let app = await build();
  let base = await listen(app);

  const call = async <T = Record<string, unknown>>(method: string, p: string, opts: { key?: string; body?: unknown; raw?: string } = {}) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${opts.key ?? KEY_A}`,
        ...(opts.body !== undefined || opts.raw !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    // Tests name the shape they expect (a contract type); a wrong guess fails their assertions.
    return { status: res.status, body: json as T, headers: res.headers };
  };

  /** Reads an SSE stream until `done` (or `stopAfter` events, then disconnects). */
  const stream = async (
    p: string,
    opts: StreamOptions = {},
    at = base,
  ) => {
    return streamFrom(at, p, opts);
  };
  const streamFrom = async (
    at: string,
    p: string,
    opts: StreamOptions = {},
  ) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error("stream timed out")), opts.timeoutMs ?? 15_000);
    const res = await fetch(`${at}${p}`, {
      method: opts.method ?? "GET",
      headers: {
        authorization: `Bearer ${opts.key ?? KEY_A}`,
        ...(opts.lastEventId !== undefined ? { "last-event-id": String(opts.lastEventId) } : {}),
        ...(opts.accept ? { accept: opts.accept } : {}),
        ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: controller.signal,
    });
    const events: SseEvent[] = [];
    if (!res.ok || !res.body) {
      clearTimeout(timer);
      return { status: res.status, headers: res.headers, events, body: await res.text() };
    }
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e = parseEvent(raw);
          if (!e) continue;
          events.push(e);
          if ((opts.stopAfter !== undefined && events.length >= opts.stopAfter) || opts.until?.(e)) {
            controller.abort();
            return { status: res.status, headers: res.headers, events, body: "" };
          }
        }
      }
    } catch (error) {
      if (!((opts.stopAfter !== undefined || opts.until) && controller.signal.aborted)) throw error;
    } finally {
      clearTimeout(timer);
    }
    return { status: res.status, headers: res.headers, events, body: "" };
  };

  return {
    db,
    dbUrl,
    messages,
    dataDir,
    get base() {
      return base;
    },
    call,
    stream,
    /** Another Nexus process on the same database (as behind a load balancer). */
    async another() {
      const other = await build();
      return { base: await listen(other), close: () => other.close() };
    },
    /** Closes Nexus and starts a new one on the same database (a service restart). */
    async restart(extra: Partial<NexusConfig> = {}) {
      await app.close();
      Object.assign(settings, extra);
      app = await build();
      base = await listen(app);
    },
    async stop() {
      await app.close();
      await side?.close();
      await messages.close();
      await db.$disconnect();
      await dropTestDatabase(dbUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function parseEvent(raw: string): SseEvent | undefined {
  let id = 0;
  let event = "message";
  let data = "";
  for (const line of raw.split("\n")) {
    if (line.startsWith(":")) continue;
    if (line.startsWith("id: ")) id = Number(line.slice(4));
    else if (line.startsWith("event: ")) event = line.slice(7);
    else if (line.startsWith("data: ")) data += line.slice(6);
  }
  if (!data) return undefined;
  return { id, event, data: JSON.parse(data) as Record<string, unknown> };
}

export const tokensOf = (events: SseEvent[]) =>
  events
    .filter((e) => e.event === "token")
    .map((e) => e.data.text)
    .join("");
