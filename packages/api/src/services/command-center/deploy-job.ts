// A deployment runs after the mutation answers: its steps are written to the deployment row as they
// happen, so any web instance can show the progress, and the row keeps the whole log afterwards.
import { deployRelease, rollback, type DeployResult, type DeployStep, type SshTarget } from "@kayos/deploy";
import type { ControlDb, CustomerServer, Prisma } from "@kayos/db/control";
import { decryptSecret } from "@kayos/db/secrets";
import { existsSync } from "node:fs";
import path from "node:path";
import { AppError } from "../../errors";
import { pinHostKey } from "../ssh-check";
import type { CommandCenterSettings } from "../../routers/command-center/schema";

export interface DeployConfig {
  commandCenterReleaseDir?: string;
}

/** A finished deployment whose process died mid-way would stay "running" forever: give up after this. */
export const DEPLOY_STALE_MS = 10 * 60_000;

export function sshOf(server: CustomerServer, encryptionKey: string) {
  if (!server.sshHost || !server.sshUser || !server.sshKeyCiphertext) {
    throw new AppError("PRECONDITION_FAILED", `The server "${server.name}" has no SSH access; add its host, user and private key under Servers`);
  }
  return {
    host: server.sshHost,
    port: server.sshPort ?? 22,
    username: server.sshUser,
    privateKey: decryptSecret(server.sshKeyCiphertext, encryptionKey),
    ...(server.sshHostKey ? { hostKey: server.sshHostKey } : {}),
  };
}

export function releaseDir(config: DeployConfig) {
  const dir = config.commandCenterReleaseDir;
  if (!dir || !existsSync(path.join(dir, "server.mjs"))) {
    throw new AppError("PRECONDITION_FAILED", "The Command Center release is not built: run `npm run build -w @kayos/command-center` (or set COMMAND_CENTER_RELEASE_DIR)");
  }
  return dir;
}

/** Appends each step to the row; a failed write never stops the deployment itself. */
function recorder(db: ControlDb, deploymentId: string) {
  const log: DeployStep[] = [];
  let writing = Promise.resolve();
  const onProgress = (step: DeployStep) => {
    log.push(step);
    const snapshot = [...log];
    writing = writing
      .then(() => db.deployment.update({ where: { id: deploymentId }, data: { log: snapshot as unknown as Prisma.InputJsonArray } }))
      .then(() => undefined, () => undefined);
  };
  return { onProgress, flushed: () => writing };
}

async function finish(db: ControlDb, deploymentId: string, server: CustomerServer, flushed: () => Promise<void>, outcome: Promise<DeployResult>) {
  let result: DeployResult | undefined;
  let error: string | undefined;
  try {
    result = await outcome;
  } catch (e) {
    error = (e as Error).message;
  }
  await flushed();
  if (result?.hostKey && !server.sshHostKey) await pinHostKey(db, server.id, result.hostKey);
  await db.deployment.update({
    where: { id: deploymentId },
    data: {
      status: result?.status ?? "failed",
      error: result?.error ?? error ?? null,
      previous: result?.previous ?? null,
      ...(result ? { version: result.version } : {}),
      ...(result ? { log: result.log as unknown as Prisma.InputJsonArray } : {}),
      finishedAt: new Date(),
    },
  });
}

export function runDeploy(
  db: ControlDb,
  deploymentId: string,
  opts: { server: CustomerServer; ssh: SshTarget; releaseDir: string; settings: CommandCenterSettings; version: string; files: Record<string, string>; secrets: string },
) {
  const { onProgress, flushed } = recorder(db, deploymentId);
  const outcome = deployRelease({
    ssh: opts.ssh,
    root: opts.settings.root,
    releaseDir: opts.releaseDir,
    files: opts.files,
    secrets: opts.secrets,
    version: opts.version,
    port: opts.settings.port,
    onProgress,
  });
  return finish(db, deploymentId, opts.server, flushed, outcome);
}

export function runRollback(db: ControlDb, deploymentId: string, opts: { server: CustomerServer; ssh: SshTarget; settings: CommandCenterSettings; to?: string }) {
  const { onProgress, flushed } = recorder(db, deploymentId);
  const outcome = rollback({ ssh: opts.ssh, root: opts.settings.root, port: opts.settings.port, to: opts.to, onProgress });
  return finish(db, deploymentId, opts.server, flushed, outcome);
}
