// Manual rollback: make an earlier release current again (the recorded previous one, or a named one),
// restart it and check its health; if it does not come up, the release that was running is restored.
import { activate } from "./activate";
import { connectServer, connectStep } from "./connect";
import { DeployError, messageOf, parseOptions } from "./errors";
import { Progress } from "./progress";
import { readReleases, switchTo } from "./release-switch";
import {
  listInputSchema,
  rollbackInputSchema,
  type DeployResult,
  type ListReleasesOptions,
  type ReleaseList,
  type RollbackOptions,
} from "./types";

/** The recorded previous release, else the newest one older than current. */
export function pickRollbackTarget(state: ReleaseList): string | null {
  if (state.previous && state.previous !== state.current && state.releases.includes(state.previous))
    return state.previous;
  const at = state.current ? state.releases.indexOf(state.current) : -1;
  return state.releases.slice(at + 1).find((r) => r !== state.current) ?? null;
}

export async function rollback(options: RollbackOptions): Promise<DeployResult> {
  const { onProgress, signal, ...rest } = options;
  const opts = parseOptions(rollbackInputSchema, rest);
  const progress = new Progress(onProgress);
  let current: string | null = null;
  let target = opts.to ?? "";
  let hostKey: string | null = null;
  try {
    const server = await connectStep(progress, opts.ssh, opts.root, { nodePath: opts.nodePath, signal });
    hostKey = server.session.hostKey;
    try {
      const state = await readReleases(server.session, server.layout);
      current = state.current;
      target = opts.to ?? pickRollbackTarget(state) ?? "";
      if (!target) throw new DeployError("There is no earlier release on the server to roll back to", "rollback");
      if (!state.releases.includes(target))
        throw new DeployError(
          `Release ${target} is not on the server — it has ${state.releases.join(", ") || "no releases"}`,
          "rollback",
        );
      if (target === current) throw new DeployError(`Release ${target} is already the current release`, "rollback");
      progress.emit(
        "rollback",
        "running",
        current ? `Rolling back from ${current} to ${target}` : `Starting release ${target}`,
      );
      await progress.step("switch", `Switching current to release ${target}`, async () => {
        await switchTo(server.session, server.layout, target, current);
        return { value: undefined, message: `current → releases/${target}${current ? ` (previous: ${current})` : ""}` };
      });
      const run = { port: opts.port, nodePath: opts.nodePath, healthTimeoutMs: opts.healthTimeoutMs };
      const outcome = await activate(server, progress, target, run);
      if (outcome.ok) {
        progress.emit("rollback", "succeeded", `Release ${target} is serving`);
        progress.emit("done", "succeeded", `Rolled back to release ${target}`);
        return { status: "succeeded", version: target, previous: current, log: progress.log, hostKey };
      }
      let restored = "";
      if (current) {
        const from = current;
        const back = await switchTo(server.session, server.layout, from, state.previous).then(
          () => activate(server, progress, from, run),
          (e: unknown) => ({ ok: false as const, error: messageOf(e) }),
        );
        restored = back.ok ? ` Release ${from} is serving again.` : ` Restoring ${from} failed too: ${back.error}`;
      }
      progress.emit("rollback", "failed", `Release ${target} did not come up.${restored}`);
      progress.emit("done", "failed", `Rollback to ${target} failed.${restored}`);
      return {
        status: "failed",
        version: target,
        previous: current,
        error: `${outcome.error}${restored ? `\n${restored.trim()}` : ""}`,
        log: progress.log,
        hostKey,
      };
    } finally {
      server.session.close();
    }
  } catch (error) {
    const step = error instanceof DeployError && error.step === "rollback";
    if (step) progress.emit("rollback", "failed", messageOf(error));
    progress.emit("done", "failed", `Rollback failed: ${messageOf(error)}`);
    return { status: "failed", version: target, previous: current, error: messageOf(error), log: progress.log, hostKey };
  }
}

/** The releases on the server, newest first, and which one is current. */
export async function listReleases(options: ListReleasesOptions): Promise<ReleaseList> {
  const opts = parseOptions(listInputSchema, options);
  const server = await connectServer(opts.ssh, opts.root, {});
  try {
    return await readReleases(server.session, server.layout);
  } finally {
    server.session.close();
  }
}
