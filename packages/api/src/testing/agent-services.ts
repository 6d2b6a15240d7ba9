// The real agent services for router tests: apps/agents in its own process on the fixtures' agents
// database, Claude answered by a local Messages API server, every file they write in a temp folder.
import type { ServiceName } from "@kayos/contracts";
import { freePort } from "@kayos/devstack";
import { startAgents } from "@kayos/devstack/agents";
import { startMessagesServer } from "@kayos/messages-server";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Fixtures } from "./fixtures";

export async function startAgentServices(f: Fixtures, services?: ServiceName[]) {
  const claude = await startMessagesServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-api-agents-"));
  const ports = { nexus: await freePort(), smith: await freePort(), observer: await freePort() };
  const { child, urls } = await startAgents({
    agentsDatabaseUrl: f.urls.agents,
    ports,
    services,
    env: {
      LOG_LEVEL: "warn",
      ANTHROPIC_BASE_URL: claude.url,
      ANTHROPIC_API_KEY: "test",
      // Sessions on plain PTYs: nothing outlives the test run in a tmux server.
      SMITH_KEEPER: "pty",
      WORKSPACE_ROOT: path.join(dir, "workspaces"),
      SMITH_DATA_DIR: path.join(dir, "smith"),
      NEXUS_DATA_DIR: path.join(dir, "nexus"),
      OBSERVER_SNAPSHOT_DIR: path.join(dir, "snapshots"),
      CODINGOBSERVER_URL: `http://127.0.0.1:${ports.observer}`,
    },
  });
  return {
    claude,
    /** The URLs a customer server row needs. */
    urls: { nexusUrl: urls.nexus, smithUrl: urls.smith, observerUrl: urls.observer },
    async stop() {
      await child.stop();
      await claude.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type AgentServices = Awaited<ReturnType<typeof startAgentServices>>;
