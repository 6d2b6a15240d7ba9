// Starts the whole platform once for the browser tests: a fresh embedded PostgreSQL in a temporary
// folder, the agent services, and `next start` over the production build (run `next build` first).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bundle } from "@kayos/command-center/bundle";
import { agentsDb } from "@kayos/db/agents";
import { controlDb } from "@kayos/db/control";
import { encryptSecret, hashPassword, hashToken } from "@kayos/db/secrets";
import { freePort, startStack, stackEnv } from "@kayos/devstack";
import { askingPlan } from "@kayos/devstack/testing/plans";
import { endKeptSessions } from "@kayos/devstack/testing/script-sessions";
import { startSshd } from "@kayos/devstack/testing/sshd";
import { match, matchMainLoop, reply } from "@kayos/messages-server";
import { E2E } from "./ports";

export default async function globalSetup() {
  if (!existsSync(path.join(import.meta.dirname, "..", ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build -w @kayos/web` (npm test does it) before the e2e tests");
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-e2e-"));
  chmodSync(dir, 0o755);
  const env = stackEnv({
    NODE_ENV: "test",
    WEB_PORT: String(E2E.webPort),
    NEXUS_PORT: String(E2E.nexusPort),
    SMITH_PORT: String(E2E.smithPort),
    OBSERVER_PORT: String(E2E.observerPort),
    EMBEDDED_PG_PORT: String(await freePort()),
    MESSAGES_SERVER_PORT: String(await freePort()),
    EMBEDDED_PG_DIR: path.join(dir, "postgres"),
    DEMO_EMAIL: E2E.demo.email,
    DEMO_PASSWORD: E2E.demo.password,
  });
  // The Command Center deploys go over real SSH to this machine: the demo server gets SSH access to a
  // test sshd, the release is built for this run, and the spec deploys into the temporary folder.
  const sshd = await startSshd();
  process.env.COMMAND_CENTER_RELEASE_DIR = (await bundle(path.join(dir, "command-center-release"))).dir;
  process.env.E2E_CC_ROOT = path.join(dir, "command-center");
  process.env.E2E_CC_PORT = String(await freePort());
  const lines: string[] = [];
  // Everything the agent services write stays in the temporary folder, not the developer's .data/.
  const smithDir = path.join(dir, "smith");
  const stack = await startStack({
    env,
    web: "start",
    childEnv: {
      WORKSPACE_ROOT: path.join(dir, "workspaces"),
      SMITH_DATA_DIR: smithDir,
      NEXUS_DATA_DIR: path.join(dir, "nexus"),
      OBSERVER_SNAPSHOT_DIR: path.join(dir, "snapshots"),
    },
    log: (source, line) => lines.push(`${source} ${line}`),
  }).catch(async (error: unknown) => {
    console.error(lines.join("\n"));
    await sshd.close();
    throw error;
  });

  // A coding agent that asks before using a tool: a task naming "approval please" makes the offline
  // model call Bash once; after its result it answers in words.
  stack.messages
    ?.script.when(
      match.all(matchMainLoop, match.lastUserText(/approval please/), match.not(match.hasToolResult())),
      reply.toolUse("Bash", { command: "echo approved > approved.txt", description: "Write approved.txt" }),
    )
    .when(match.all(matchMainLoop, match.hasToolResult("Bash")), reply.text("Made approved.txt."))
    // A planner whose task says "ask me first" plans a question for a person before the work (every
    // time: the run page, the REST client and the Command Center's end user each get one).
    .always(
      match.all(match.hasTools("submit_plan"), match.lastUserText(/ask me first/)),
      reply.toolUse("submit_plan", askingPlan("Which color should the fence be?")),
    );

  const control = controlDb(stack.controlUrl);
  await control.customerServer.updateMany({
    where: { organizationId: stack.organizationId, isDefault: true },
    data: { sshHost: sshd.host, sshPort: sshd.port, sshUser: sshd.user, sshKeyCiphertext: encryptSecret(sshd.privateKey, env.ENCRYPTION_KEY) },
  });

  // A second organization whose observer is down, to see the dashboard name the failing service.
  const agents = agentsDb(stack.agentsUrl);
  const org = await control.organization.create({ data: { name: "Observer Outage Inc", slug: "observer-outage" } });
  const user = await control.user.create({
    data: { email: E2E.observerDown.email, name: "Outage Owner", passwordHash: await hashPassword(E2E.observerDown.password) },
  });
  await control.membership.create({ data: { userId: user.id, organizationId: org.id, role: "owner" } });
  const key = "kay_e2e_outage_key_0123456789";
  await agents.apiKey.create({ data: { organizationId: org.id, name: "outage", prefix: "kay_e2e", keyHash: hashToken(key) } });
  await control.customerServer.create({
    data: {
      organizationId: org.id,
      name: "Outage server",
      isDefault: true,
      nexusUrl: env.KAYNEXUS_URL,
      smithUrl: env.KAYSMITH_URL,
      observerUrl: `http://127.0.0.1:${await freePort()}`,
      apiKeyCiphertext: encryptSecret(key, env.ENCRYPTION_KEY),
    },
  });
  await agents.apiKey.create({ data: { organizationId: stack.organizationId, name: "spare", prefix: "kay_e2e", keyHash: hashToken(E2E.spareKey) } });
  // A viewer in the demo organization, to see what a read-only member can and cannot do.
  const viewer = await control.user.create({
    data: { email: E2E.viewer.email, name: "Demo Viewer", passwordHash: await hashPassword(E2E.viewer.password) },
  });
  await control.membership.create({ data: { userId: viewer.id, organizationId: stack.organizationId, role: "viewer" } });
  await Promise.all([control.$disconnect(), agents.$disconnect()]);

  return async () => {
    await stack.stop();
    // The Command Center the spec deployed runs detached, as on a customer's server: end it by its pid file.
    const pidFile = path.join(process.env.E2E_CC_ROOT!, "shared", "app.pid");
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGTERM");
      } catch {
        // already stopped
      }
    }
    await sshd.close();
    // Smith keeps sessions in script(1) (or tmux) so they outlive a restart; the test run's must end with it.
    endKeptSessions(smithDir);
    spawnSync("tmux", ["-S", path.join(smithDir, "tmux.sock"), "kill-server"], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
}
