// deployRelease: connect, upload, configure, switch, restart, health; on a failed health check the
// previous release is switched back and restarted. Problems end as a result, never as a rejection,
// except invalid options.
import { randomBytes } from "node:crypto";
import { activate } from "./activate";
import { stopApp } from "./app-process";
import { connectStep, type Server } from "./connect";
import { DeployError, messageOf, parseOptions } from "./errors";
import { Progress, redactor, secretValues, seconds } from "./progress";
import { quote } from "./remote-shell";
import { clearCurrent, pruneReleases, readReleases, switchTo } from "./release-switch";
import { deployInputSchema, type DeployOptions, type DeployResult } from "./types";
import { collectRelease, describeBundle, uploadRelease } from "./upload";

type Input = ReturnType<typeof deployInputSchema.parse>;

async function writeSecrets(server: Server, secrets: string) {
  const { session, layout } = server;
  await session.run(`mkdir -p ${quote(layout.data)} && chmod 700 ${quote(layout.shared)}`, {
    label: "Creating shared/ and shared/data",
  });
  // A temporary name then rename(2): the app never reads a half-written secrets file.
  const tmp = `${layout.shared}/.secrets.json.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await session.writeFile(tmp, Buffer.from(secrets, "utf8"), 0o600, "Writing shared/secrets.json");
    await session.run(`mv -f ${quote(tmp)} ${quote(layout.secrets)}`, { label: "Replacing shared/secrets.json" });
  } catch (error) {
    await session.exec(`rm -f ${quote(tmp)}`, { label: "Removing the temporary secrets file" }).catch(() => undefined);
    throw error;
  }
}

async function prune(server: Server, opts: Input, protect: (string | null)[]) {
  try {
    const state = await readReleases(server.session, server.layout);
    const deleted = await pruneReleases(server.session, server.layout, opts.keepReleases, [
      state.current,
      state.previous,
      ...protect,
    ]);
    return deleted.length ? ` Deleted old releases: ${deleted.join(", ")}.` : "";
  } catch (error) {
    return ` Old releases were not cleaned up: ${messageOf(error)}.`;
  }
}

async function run(
  opts: Input,
  progress: Progress,
  known: { previous: string | null; hostKey: string | null },
  signal: AbortSignal | undefined,
): Promise<Omit<DeployResult, "log" | "hostKey">> {
  const bundle = await collectRelease(opts.releaseDir, opts.files); // before connecting: a local mistake fails fast
  const server = await connectStep(progress, opts.ssh, opts.root, { nodePath: opts.nodePath, signal });
  const { session, layout } = server;
  known.hostKey = session.hostKey;
  try {
    const before = await readReleases(session, layout);
    const previous = before.current;
    known.previous = previous;
    await progress.step("upload", `Uploading ${describeBundle(bundle)}`, async () => {
      const started = performance.now();
      const how = await uploadRelease(session, bundle, {
        layout,
        version: opts.version,
        useTar: opts.transfer === "auto" && server.hasTar,
        owner: server.owner,
        signal,
      });
      return {
        value: undefined,
        message: `Uploaded release ${opts.version} ${how} in ${seconds(performance.now() - started)}`,
      };
    });
    await progress.step("configure", "Writing shared/secrets.json", async () => {
      if (signal?.aborted)
        throw new DeployError("The deployment was cancelled before the configuration was written", "configure");
      await writeSecrets(server, opts.secrets);
      return { value: undefined, message: "Wrote shared/secrets.json (mode 600); shared/data is in place" };
    });
    // From here on the server has changed: a cancellation is no longer honoured, the run ends consistent.
    await progress.step("switch", `Switching current to release ${opts.version}`, async () => {
      if (signal?.aborted)
        throw new DeployError(
          "The deployment was cancelled before the switch; the new release was uploaded but not started",
          "switch",
        );
      await switchTo(session, layout, opts.version, previous);
      return {
        value: undefined,
        message: `current → releases/${opts.version}${previous ? ` (previous: ${previous})` : ""}`,
      };
    });
    const run = { port: opts.port, nodePath: opts.nodePath, healthTimeoutMs: opts.healthTimeoutMs };
    const outcome = await activate(server, progress, opts.version, run);
    if (outcome.ok) {
      const pruned = await prune(server, opts, [opts.version, previous]);
      progress.emit("done", "succeeded", `Release ${opts.version} is live.${pruned}`);
      return { status: "succeeded", version: opts.version, previous };
    }
    if (!previous) {
      const stopped = await stopApp(session, layout)
        .then(() => clearCurrent(session, layout))
        .then(
          () => "",
          (e: unknown) => ` Stopping it failed too: ${messageOf(e)}`,
        );
      const error = `${outcome.error}${stopped}`;
      progress.emit(
        "done",
        "failed",
        `Release ${opts.version} failed and there is no earlier release to go back to; it was stopped and stays in releases/ for inspection.${stopped}`,
      );
      return { status: "failed", version: opts.version, previous, error };
    }
    progress.emit("rollback", "running", `Rolling back to release ${previous}`);
    const back = await switchTo(session, layout, previous, before.previous).then(
      () => activate(server, progress, previous, run),
      (e: unknown) => ({ ok: false as const, error: messageOf(e) }),
    );
    const pruned = await prune(server, opts, [opts.version, previous]);
    if (back.ok) {
      progress.emit(
        "rollback",
        "succeeded",
        `Release ${previous} is serving again; ${opts.version} stays in releases/ for inspection`,
      );
      progress.emit(
        "done",
        "failed",
        `Release ${opts.version} was not deployed: it failed its health check and ${previous} was restored.${pruned}`,
      );
      return { status: "rolled_back", version: opts.version, previous, error: outcome.error };
    }
    progress.emit("rollback", "failed", `Rolling back to ${previous} failed too: ${back.error}`);
    progress.emit(
      "done",
      "failed",
      `Release ${opts.version} failed and ${previous} could not be restored — the app is down; check the server.${pruned}`,
    );
    return {
      status: "failed",
      version: opts.version,
      previous,
      error: `${outcome.error}\nRolling back to ${previous} failed too: ${back.error}`,
    };
  } finally {
    session.close();
  }
}

/** Deploys a Command Center release to a server over SSH. Rejects only on invalid options. */
export async function deployRelease(options: DeployOptions): Promise<DeployResult> {
  const { onProgress, signal, ...rest } = options;
  const opts = parseOptions(deployInputSchema, rest);
  const progress = new Progress(onProgress, redactor(secretValues(opts.secrets)));
  const known = { previous: null as string | null, hostKey: null as string | null };
  try {
    const { error, ...result } = await run(opts, progress, known, signal);
    return { ...result, ...(error === undefined ? {} : { error: progress.redact(error) }), log: progress.log, hostKey: known.hostKey };
  } catch (error) {
    const message = progress.redact(messageOf(error));
    progress.emit("done", "failed", `Release ${opts.version} was not deployed: ${message}`);
    return { status: "failed", version: opts.version, previous: known.previous, error: message, log: progress.log, hostKey: known.hostKey };
  }
}
