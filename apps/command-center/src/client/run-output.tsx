// A run's streamed output with its progress, the question it waits on (answered here), and, when it
// failed, what went wrong.
import { useState } from "react";
import { api } from "./api";
import type { RunProgress } from "./use-run-stream";

export function RunOutput({ runId, progress }: { runId: string; progress: RunProgress }) {
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
      {running && progress.question !== null ? <Question runId={runId} question={progress.question} /> : null}
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

function Question({ runId, question }: { runId: string; question: string }) {
  const [answer, setAnswer] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="question"
      aria-labelledby="question-title"
      onSubmit={(e) => {
        e.preventDefault();
        setSending(true);
        setError(null);
        // The stream's next event clears the question once the agent has it.
        api.answerRun(runId, answer).then(
          () => setAnswer(""),
          (err: Error) => setError(err.message),
        ).finally(() => setSending(false));
      }}
    >
      <h3 id="question-title">The agent asks you</h3>
      <div className="output">{question}</div>
      <label htmlFor="run-answer">Your answer</label>
      <textarea id="run-answer" value={answer} onChange={(e) => setAnswer(e.target.value)} />
      <button type="submit" disabled={sending}>
        {sending ? "Sending…" : "Send answer"}
      </button>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
