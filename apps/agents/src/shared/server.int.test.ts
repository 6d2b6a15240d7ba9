import { SERVICE_NAMES, type ServiceName } from "@kayos/contracts";
import { agentsDb, type AgentsDb } from "@kayos/db/agents";
import { hashToken } from "@kayos/db/secrets";
import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { builders } from "../services";
import { createKeyResolver } from "./api-key";
import { buildService } from "./server";

const KEY = "kay_test_org_a_key_0123456789";
const REVOKED = "kay_test_revoked_key_01234567";
let url: string;
let db: AgentsDb;
const apps: FastifyInstance[] = [];
const base = {} as Record<ServiceName | "frame", string>;

async function listen(app: FastifyInstance) {
  apps.push(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return `http://127.0.0.1:${address.port}`;
}

beforeAll(async () => {
  url = await createTestDatabase("agents");
  db = agentsDb(url);
  await db.apiKey.createMany({
    data: [
      { organizationId: "org_a", name: "A key", prefix: "kay_test", keyHash: hashToken(KEY) },
      { organizationId: "org_b", name: "old key", prefix: "kay_test", keyHash: hashToken(REVOKED), revokedAt: new Date() },
    ],
  });
  const resolveCaller = createKeyResolver(db);
  for (const name of SERVICE_NAMES) base[name] = await listen(await builders[name]({ logLevel: "silent", resolveCaller }));
  // The frame itself, with routes that exercise validation, limits and unexpected failures.
  base.frame = await listen(
    await buildService(
      { name: "observer", title: "t", description: "d", logLevel: "silent", bodyLimit: 1024, resolveCaller },
      (api) => {
        api.post(
          "/api/v1/echo",
          { schema: { body: z.object({ name: z.string().min(1), count: z.number().int() }) } },
          async (request) => request.body,
        );
        api.get("/api/v1/boom", async () => {
          throw new Error("secret internals /etc/passwd");
        });
      },
    ),
  );
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await db.$disconnect();
  await dropTestDatabase(url);
});

const get = (u: string, headers: Record<string, string> = {}) => fetch(u, { headers });

describe.each(SERVICE_NAMES)("%s service frame", (service) => {
  it("answers GET /health with healthy, its name and version", async () => {
    const res = await get(`${base[service]}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "healthy", service, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("refuses /api/v1 calls without an API key, with a message that says how to send one", async () => {
    const res = await get(`${base[service]}/api/v1/whoami`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining("Authorization: Bearer") });
  });

  it("refuses a wrong or revoked key, and unknown /api/v1 paths without probing them", async () => {
    expect((await get(`${base[service]}/api/v1/whoami`, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await get(`${base[service]}/api/v1/whoami`, { "x-api-key": REVOKED })).status).toBe(401);
    expect((await get(`${base[service]}/api/v1/does-not-exist`)).status).toBe(401);
  });

  it("scopes a valid key to its organization, by bearer or X-Api-Key", async () => {
    for (const headers of [{ authorization: `Bearer ${KEY}` }, { "x-api-key": KEY }] as Record<string, string>[]) {
      const res = await get(`${base[service]}/api/v1/whoami`, headers);
      expect(await res.json()).toEqual({ service, organization_id: "org_a", key_name: "A key" });
    }
  });

  it("serves its OpenAPI document with the key requirement", async () => {
    const doc = (await (await get(`${base[service]}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      security: unknown[];
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/health", "/api/v1/whoami"]));
    expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    // Every /api/v1 operation documents the 401 it answers without a valid key; /health needs none.
    const operations = Object.entries(doc.paths).filter(([p]) => p.startsWith("/api/v1/")).flatMap(([, ops]) => Object.values(ops));
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) expect(Object.keys(op.responses)).toContain("401");
    expect(Object.keys(doc.paths["/health"]!.get!.responses)).not.toContain("401");
    // Streaming routes say they answer Server-Sent Events (generated clients must not parse them as JSON).
    const sse: Record<string, string[]> = {
      nexus: ["/api/v1/agents/{id}/stream", "/api/v1/agents/execute"],
      smith: ["/api/v1/sessions/{id}/stream", "/api/v1/files/watch/{session_id}"],
      observer: ["/api/v1/logs/session/{session_id}/tail"],
    };
    for (const p of sse[service] ?? []) {
      const [op] = Object.values(doc.paths[p]!) as { responses: Record<string, { content?: Record<string, unknown> }> }[];
      expect(Object.keys(op!.responses["200"]!.content!), p).toContain("text/event-stream");
    }
  });
});

describe("bad input", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base.frame}/api/v1/echo`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
      body,
    });

  it("names every invalid field", async () => {
    const res = await post(JSON.stringify({ name: "", count: 1.5 }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; issues: { path: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual(["body.count", "body.name"]);
    expect(body.message).toMatch(/^Invalid body: /);
  });

  it("says when the body is not JSON", async () => {
    const res = await post("{not json");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/JSON/i);
  });

  it("answers 413 for a body over the limit", async () => {
    const res = await post(JSON.stringify({ name: "x".repeat(2000), count: 1 }));
    expect(res.status).toBe(413);
  });

  it("answers valid input", async () => {
    const res = await post(JSON.stringify({ name: "ok", count: 2 }));
    expect(await res.json()).toEqual({ name: "ok", count: 2 });
  });

  it("hides internals of unexpected failures behind a request id", async () => {
    const res = await get(`${base.frame}/api/v1/boom`, { authorization: `Bearer ${KEY}` });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("/etc/passwd");
    expect(JSON.parse(text)).toMatchObject({ requestId: expect.any(String), message: expect.stringContaining("request id") });
  });

  it("answers unknown routes with a JSON 404 naming the path", async () => {
    const res = await get(`${base.frame}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: "No route GET /nowhere" });
  });
});
