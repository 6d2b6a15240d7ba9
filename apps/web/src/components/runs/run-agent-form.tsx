"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";

/** Runs the agent (latest published version, or the draft) and opens the live run. */
export function RunAgentForm({ agentId, published, needsPrompt }: { agentId: string; published: boolean; needsPrompt: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [prompt, setPrompt] = useState("");
  const [useDraft, setUseDraft] = useState(!published);
  const execute = useMutation(trpc.runs.execute.mutationOptions({ onSuccess: (run) => router.push(`/runs/${run.id}`) }));
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    execute.mutate({ agentId, prompt: prompt.trim() || undefined, useDraft });
  }
  return (
    <section className="card" aria-labelledby="run-title">
      <h2 id="run-title">Run</h2>
      <form className="stack" onSubmit={onSubmit}>
        <ErrorAlert error={execute.error} />
        <label>
          {needsPrompt ? "Prompt" : "Prompt (optional)"}
          <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} required={needsPrompt} />
        </label>
        <label className="inline">
          <input type="checkbox" style={{ width: "auto" }} checked={useDraft} disabled={!published} onChange={(e) => setUseDraft(e.target.checked)} />
          Run the draft instead of the latest published version
        </label>
        <div>
          <button className="primary" type="submit" disabled={execute.isPending}>
            {execute.isPending ? "Starting…" : "Run"}
          </button>
        </div>
      </form>
    </section>
  );
}
