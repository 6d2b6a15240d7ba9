"use client";

import { useEffect, useState } from "react";

export interface RunStreamState {
  text: string;
  steps: string[];
  error: string | null;
  done: boolean;
  connected: boolean;
}

/**
 * Follows a run's output through the web's stream proxy. EventSource resumes by itself with
 * Last-Event-ID after a drop, so nothing is lost or repeated across reconnects.
 */
export function useRunStream(runId: string, service: string): RunStreamState {
  const [state, setState] = useState<RunStreamState>({ text: "", steps: [], error: null, done: false, connected: false });
  useEffect(() => {
    const source = new EventSource(`/api/runs/${runId}/stream`);
    const update = (fn: (s: RunStreamState) => RunStreamState) => setState(fn);
    const parse = (e: MessageEvent) => JSON.parse(e.data as string) as Record<string, unknown>;
    source.onopen = () => update((s) => ({ ...s, connected: true }));
    source.onerror = () => update((s) => ({ ...s, connected: false }));
    if (service === "nexus") {
      source.addEventListener("token", (e) => update((s) => ({ ...s, text: s.text + String(parse(e).text ?? "") })));
      source.addEventListener("step", (e) => {
        const d = parse(e);
        update((s) => ({ ...s, steps: [...s.steps, `${String(d.node_id)}: ${String(d.state)}${d.error ? ` (${String(d.error)})` : ""}`] }));
      });
      source.addEventListener("waiting", (e) => update((s) => ({ ...s, steps: [...s.steps, `${String(parse(e).node_id)}: waiting for your answer`] })));
      source.addEventListener("error", (e) => {
        if (e instanceof MessageEvent) update((s) => ({ ...s, error: String(parse(e).message ?? "failed") }));
      });
      source.addEventListener("done", () => {
        update((s) => ({ ...s, done: true }));
        source.close();
      });
    } else {
      source.addEventListener("output", (e) => update((s) => ({ ...s, text: s.text + String(parse(e).data ?? "") })));
      source.addEventListener("end", () => {
        update((s) => ({ ...s, done: true }));
        source.close();
      });
    }
    return () => source.close();
  }, [runId, service]);
  return state;
}
