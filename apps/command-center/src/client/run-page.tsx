import { useEffect, useState } from "react";
import type { RunView } from "../views";
import { api } from "./api";
import { RunOutput } from "./run-output";
import { useRunStream } from "./use-run-stream";

export function RunPage({ id }: { id: string }) {
  const [run, setRun] = useState<RunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useRunStream(run ? run.id : null);
  useEffect(() => {
    api.getRun(id).then(setRun, (e: Error) => setError(e.message));
  }, [id]);

  if (!run) return error ? <p role="alert" className="error">{error}</p> : <p aria-live="polite">Loading…</p>;
  return (
    <section aria-labelledby="run-title">
      <h1 id="run-title">{run.agent.name}</h1>
      <p className="muted">{new Date(run.created_at).toLocaleString()}</p>
      <div className="card">
        <h2>Request</h2>
        <div className="output">{run.input}</div>
      </div>
      <RunOutput runId={run.id} progress={progress} />
    </section>
  );
}
