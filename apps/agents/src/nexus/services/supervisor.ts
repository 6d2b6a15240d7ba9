// Keeps this process's runs claimed (a heartbeat on their rows) and takes over runs no process runs
// any more, in the background, at start and then periodically (the service starts even while the
// database is away). A clean shutdown empties the heartbeat, so the next process takes over at once;
// after a crash the heartbeat goes stale. Durable runs continue from their checkpoints; others fail.
// Runs of other live processes keep a fresh heartbeat and are left alone.
import { findAgentType } from "../agent-types";
import type { NexusDeps } from "./deps";
import { endElsewhere } from "./ending";
import type { ExecutionRunner } from "./runner";

export class Supervisor {
  private ticking: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly deps: NexusDeps,
    private readonly runner: ExecutionRunner,
    private readonly log: (message: string) => void,
    private readonly fail: (error: unknown) => void,
  ) {
    const staleMs = deps.config.NEXUS_TAKEOVER_AFTER_MS;
    this.tick(staleMs);
    this.timer = setInterval(() => void this.ticking.then(() => this.tick(staleMs)), Math.max(250, Math.min(staleMs / 3, 10_000)));
    this.timer.unref();
  }

  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
  }

  private tick(staleMs: number) {
    if (this.stopped) return;
    this.ticking = Promise.all([this.heartbeat(), this.takeOver(staleMs)])
      .then(() => undefined)
      .catch(this.fail);
  }

  /** A run stopped by another process (its row is no longer running) ends here quietly. */
  private async heartbeat() {
    const ids = this.runner.activeIds();
    const running = await this.deps.executions.beat(ids);
    for (const id of ids) if (!running.has(id)) this.runner.letGo(id);
  }

  private async takeOver(staleMs: number) {
    const { executions } = this.deps;
    for (const id of await executions.orphans(staleMs)) {
      if (this.stopped || this.runner.activeIds().includes(id) || !(await executions.claim(id, staleMs))) continue;
      const row = await executions.find(id);
      if (!row) continue;
      if (findAgentType(row.agentType)?.durable) {
        this.log(`nexus: resuming ${row.agentType} execution ${row.id} from its checkpoint`);
        await this.runner.resume(row);
      } else {
        await endElsewhere(this.deps, row, "failed", "Interrupted by a restart of Nexus before it finished; run it again");
      }
    }
  }
}
