// Makes a release the running one: stop whatever runs, start it, wait for /health. Deploy, its
// automatic rollback and the manual rollback all go through here.
import { startApp, stopApp, tailAppLog } from "./app-process";
import { messageOf } from "./errors";
import { waitHealthy } from "./health";
import { seconds, type Progress } from "./progress";
import type { Server } from "./connect";

export interface RunSettings {
  port: number;
  nodePath: string;
  healthTimeoutMs: number;
}

export type Activation = { ok: true } | { ok: false; error: string };

const stopMessage = (stop: Awaited<ReturnType<typeof stopApp>>) =>
  stop.kind === "stopped"
    ? `stopped the running app (pid ${stop.pid})`
    : stop.kind === "killed"
      ? `killed the running app (pid ${stop.pid}) after it ignored SIGTERM`
      : stop.kind === "stale"
        ? "ignored a stale pid file"
        : "no app was running";

export async function activate(
  server: Server,
  progress: Progress,
  version: string,
  run: RunSettings,
): Promise<Activation> {
  const { session, layout } = server;
  let pid: number;
  try {
    pid = await progress.step("restart", `Restarting the app with release ${version}`, async () => {
      const stop = await stopApp(session, layout);
      const started = await startApp(session, layout, { version, port: run.port, nodePath: run.nodePath });
      const stopped = stopMessage(stop);
      return {
        value: started,
        message: `${stopped[0]?.toUpperCase()}${stopped.slice(1)}; started release ${version} (pid ${started}) on port ${run.port}`,
      };
    });
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
  const url = `http://127.0.0.1:${run.port}/health`;
  progress.emit("health", "running", `Waiting for ${url} on the server (up to ${seconds(run.healthTimeoutMs)})`);
  try {
    const outcome = await waitHealthy(session, {
      pid,
      port: run.port,
      timeoutMs: run.healthTimeoutMs,
      nodePath: run.nodePath,
    });
    if (outcome.ok) {
      progress.emit("health", "succeeded", `Health check passed in ${seconds(outcome.ms)}`);
      return { ok: true };
    }
    const logTail = await tailAppLog(session, layout);
    const why =
      outcome.reason === "exited"
        ? `Release ${version} exited during start-up`
        : `Release ${version} did not become healthy within ${seconds(run.healthTimeoutMs)} (last: ${outcome.last})`;
    const error = `${why}. Last lines of ${layout.appLog}:\n${logTail || "(empty)"}`;
    progress.emit("health", "failed", error);
    return { ok: false, error };
  } catch (error) {
    progress.emit("health", "failed", messageOf(error));
    return { ok: false, error: messageOf(error) };
  }
}
