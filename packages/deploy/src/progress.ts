// Collects the steps of a run and streams them to the caller, with every secret value blanked out:
// the app's log tail or a shell error could otherwise echo one into the UI or the database.
import type { DeployStep, DeployStepName } from "./types";

const MIN_SECRET_LENGTH = 6; // shorter values (ports, flags) would blank out ordinary words

/** Every string in the secrets JSON (or the whole text when it is not JSON), longest first. */
export function secretValues(secrets: string): string[] {
  const values = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === "string") values.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  try {
    visit(JSON.parse(secrets));
  } catch {
    secrets.split(/\s+/).forEach((s) => values.add(s));
  }
  return [...values].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

export function redactor(secrets: string[]) {
  return (text: string) => secrets.reduce((out, s) => out.split(s).join("[redacted]"), text);
}

export class Progress {
  readonly log: DeployStep[] = [];

  constructor(
    private readonly onProgress: ((step: DeployStep) => void) | undefined,
    readonly redact: (text: string) => string = (t) => t,
  ) {}

  emit(step: DeployStepName, status: DeployStep["status"], message: string) {
    const entry: DeployStep = { step, status, message: this.redact(message), at: new Date().toISOString() };
    this.log.push(entry);
    try {
      this.onProgress?.(entry);
    } catch {
      // A failing listener (the UI went away) must not stop a deployment half-way.
    }
  }

  /** Runs one step: "running", then "succeeded" with the message it returns, or "failed" and rethrows. */
  async step<T>(step: DeployStepName, running: string, work: () => Promise<{ value: T; message: string }>): Promise<T> {
    this.emit(step, "running", running);
    try {
      const { value, message } = await work();
      this.emit(step, "succeeded", message);
      return value;
    } catch (error) {
      this.emit(step, "failed", error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
