// A run's streamed output with its progress and, when it failed, what went wrong.
import type { RunProgress } from "./use-run-stream";

export function RunOutput({ progress }: { progress: RunProgress }) {
  const running = progress.state === "running";
  const text = progress.text || progress.output || "";
  return (
    <section className="card" aria-labelledby="output-title" aria-busy={running}>
      <h2 id="output-title">
        Output{" "}
        <span className={`badge ${progress.state}`} role="status">
          {running ? (progress.status ?? "Working…") : progress.state === "succeeded" ? "Done" : "Failed"}
        </span>
      </h2>
      {running ? <progress aria-label="Running" /> : null}
      <div className="output" aria-live="polite">
        {text || (running ? "" : "(no output)")}
      </div>
      {progress.error ? (
        <p role="alert" className="error">
          {progress.error}
        </p>
      ) : null}
    </section>
  );
}
