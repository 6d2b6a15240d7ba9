// Shared setup of the observer's integration tests: a fresh database, two organizations' keys, a server.
import { agentsDb } from "@kayos/db/agents";
import { hashToken } from "@kayos/db/secrets";
import { createTestDatabase, dropTestDatabase } from "@kayos/devstack/testing/databases";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createKeyResolver } from "../shared/api-key";
import { buildObserver } from "./service";

export const KEY_A = "kay_test_observer_org_a_0123456789";
export const KEY_B = "kay_test_observer_org_b_0123456789";

export async function startObserver() {
  const url = await createTestDatabase("agents");
  const db = agentsDb(url);
  await db.apiKey.createMany({
    data: [
      { organizationId: "org_a", name: "A", prefix: "kay_test", keyHash: hashToken(KEY_A) },
      { organizationId: "org_b", name: "B", prefix: "kay_test", keyHash: hashToken(KEY_B) },
    ],
  });
  const snapshotDir = mkdtempSync(path.join(os.tmpdir(), "kayos-observer-snap-"));
  // Each organization's workspaces live in WORKSPACE_ROOT/<org>, as Smith lays them out.
  const workspaceRoot = mkdtempSync(path.join(os.tmpdir(), "kayos-observer-ws-"));
  for (const org of ["org_a", "org_b"]) mkdirSync(path.join(workspaceRoot, org));
  const app = await buildObserver({
    logLevel: "silent",
    resolveCaller: createKeyResolver(db),
    databaseUrl: url,
    env: { OBSERVER_SNAPSHOT_DIR: snapshotDir, WORKSPACE_ROOT: workspaceRoot },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  const base = `http://127.0.0.1:${address.port}`;
  const call = async <T = Record<string, unknown>>(method: string, p: string, opts: { key?: string; body?: unknown; raw?: string; type?: string } = {}) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${opts.key ?? KEY_A}`,
        ...(opts.body !== undefined || opts.raw !== undefined ? { "content-type": opts.type ?? "application/json" } : {}),
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
    return { status: res.status, body: json as T };
  };
  return {
    base,
    url,
    db,
    call,
    workspaceRoot,
    async stop() {
      await app.close();
      await db.$disconnect();
      await dropTestDatabase(url);
      rmSync(workspaceRoot, { recursive: true, force: true });
      rmSync(snapshotDir, { recursive: true, force: true });
    },
  };
}
