// Follows a run's event stream. EventSource reconnects by itself and sends Last-Event-ID, and the
// server resumes exactly after it, so a dropped connection loses nothing.
import { useEffect, useState } from "react";
import type { RunStreamEvents, RunView } from "../views";

export interface RunProgress {
  text: string;
  status: string | null;
  state: "running" | RunView["status"];
  output: string | null;
  error: string | null;
  /** What the agent asks and waits for an answer to; null when it waits for nothing. */
  question: string | null;
}

const initial: RunProgress = { text: "", status: null, state: "running", output: null, error: null, question: null };

export function useRunStream(runId: string | null): RunProgress {
  const [progress, setProgress] = useState<RunProgress>(initial);
  useEffect(() => {
    setProgress(initial);
    if (!runId) return;
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/stream`);
    const on = <K extends keyof RunStreamEvents>(type: K, handle: (data: RunStreamEvents[K]) => (p: RunProgress) => RunProgress) =>
      source.addEventListener(type, (e) => setProgress(handle(JSON.parse((e as MessageEvent<string>).data) as RunStreamEvents[K])));
    // Whatever the agent does next means the question was answered.
    on("status", (d) => (p) => ({ ...p, status: d.message, question: null }));
    on("delta", (d) => (p) => ({ ...p, text: p.text + d.text, question: null }));
    on("question", (d) => (p) => ({ ...p, question: d.question, status: "Waiting for your answer" }));
    on("error", (d) => (p) => ({ ...p, error: d.message }));
    on("done", (d) => {
      source.close();
      return (p) => ({ ...p, state: d.status, output: d.output, error: d.error ?? p.error, question: null });
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        setProgress((p) => (p.state === "running" ? { ...p, state: "failed", error: "Lost the connection to the run; open it from My history to see how it ended" } : p));
      }
    };
    return () => source.close();
  }, [runId]);
  return progress;
}
