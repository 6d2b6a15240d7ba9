import { GraphError } from "../errors.js";
import type { Checkpoint, CheckpointStore } from "./types.js";

/**
 * In-memory store. It keeps JSON text, like a database column would, so state that
 * would not survive a real store (functions, class instances, cycles) fails here too.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly runs = new Map<string, string>();
  /** Number of `save` calls, for tests and diagnostics. */
  saves = 0;

  async save(checkpoint: Checkpoint): Promise<void> {
    let text: string;
    try {
      text = JSON.stringify(checkpoint);
    } catch (error) {
      throw new GraphError(
        "NOT_SERIALIZABLE",
        `Checkpoint of run "${checkpoint.runId}" is not JSON-serializable: keep shared state, prep and exec results plain data.`,
        { cause: error },
      );
    }
    this.saves++;
    this.runs.set(checkpoint.runId, text);
  }

  async load(runId: string): Promise<Checkpoint | undefined> {
    const text = this.runs.get(runId);
    return text === undefined ? undefined : (JSON.parse(text) as Checkpoint);
  }

  async delete(runId: string): Promise<void> {
    this.runs.delete(runId);
  }

  /** Run ids currently stored. */
  runIds(): string[] {
    return [...this.runs.keys()];
  }
}
