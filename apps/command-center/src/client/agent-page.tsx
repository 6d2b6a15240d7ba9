import { useEffect, useRef, useState, type FormEvent } from "react";
import type { AgentView } from "../views";
import { api } from "./api";
import { RunOutput } from "./run-output";
import { useRunStream } from "./use-run-stream";

export function AgentPage({ id }: { id: string }) {
  const [agent, setAgent] = useState<AgentView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [input, setInput] = useState("");
  const [starting, setStarting] = useState(false);
  const progress = useRunStream(runId);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    api.agent(id).then(
      (a) => {
        setAgent(a);
        heading.current?.focus();
      },
      (e: Error) => setError(e.message),
    );
  }, [id]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStarting(true);
    setError(null);
    try {
      setRunId((await api.run(id, input)).run_id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setStarting(false);
    }
  };
  const busy = starting || (runId !== null && progress.state === "running");

  if (!agent) return error ? <p role="alert" className="error">{error}</p> : <p aria-live="polite">Loading…</p>;
  return (
    <section aria-labelledby="agent-title">
      <h1 id="agent-title" tabIndex={-1} ref={heading}>
        {agent.name}
      </h1>
      {agent.description ? <p>{agent.description}</p> : null}
      <form className="card" onSubmit={(e) => void submit(e)}>
        <label htmlFor="input">Your request</label>
        <textarea id="input" rows={5} value={input} onChange={(e) => setInput(e.target.value)} required />
        {error ? <p role="alert" className="error">{error}</p> : null}
        <button type="submit" disabled={busy || !input.trim()}>
          {busy ? "Running…" : "Run"}
        </button>
      </form>
      {runId ? <RunOutput runId={runId} progress={progress} /> : null}
    </section>
  );
}
