// Limits: sessions per organization and idle timeouts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createHarness, KEY_B, waitFor, type Harness } from "./test-harness";

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness({ SMITH_KEEPER: "pty", SMITH_MAX_SESSIONS_PER_ORG: "2" });
  ({ base } = await h.start());
});
afterAll(() => h.close());

describe("limits", { timeout: 30_000 }, () => {
  it("refuses a session over the organization's limit with 429, without touching other organizations", async () => {
    const api = client(base);
    const a = await api.post("/api/v1/sessions/create", { workspace: "l", command: "sleep 30" });
    const b = await api.post("/api/v1/sessions/create", { workspace: "l", command: "sleep 30" });
    const c = await api.post("/api/v1/sessions/create", { workspace: "l", command: "sleep 30" });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 429]);
    expect(c.body.message).toMatch(/SMITH_MAX_SESSIONS_PER_ORG/);
    expect((await client(base, KEY_B).post("/api/v1/sessions/create", { workspace: "l", command: "true" })).status).toBe(201);
    await api.del(`/api/v1/sessions/${a.body.id as string}`);
    expect((await api.post("/api/v1/sessions/create", { workspace: "l", idle_timeout_s: 1 })).status).toBe(201);
    await api.del(`/api/v1/sessions/${b.body.id as string}`);
  });

  it("ends a session that has been idle longer than its idle timeout", async () => {
    const api = client(base);
    const id = (await api.post("/api/v1/sessions/create", { workspace: "idle", command: "sleep 60", idle_timeout_s: 1 })).body.id as string;
    const ended = await waitFor(async () => {
      const s = await api.get(`/api/v1/sessions/${id}`);
      return s.body.status !== "running" ? s.body : undefined;
    }, 15_000, "idle timeout");
    expect(ended).toMatchObject({ status: "killed", end_reason: "idle for 1 s (idle timeout)" });
  });
});
