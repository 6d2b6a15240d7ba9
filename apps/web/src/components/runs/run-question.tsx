"use client";

import type { RouterOutputs } from "@kayos/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";

/** A step of a plan or graph that waits for a person (the run's `waitingFor`): its question, and the builder's answer. */
export function RunQuestion({ runId, waiting }: { runId: string; waiting: NonNullable<RouterOutputs["runs"]["get"]["waitingFor"]> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState("");
  const send = useMutation(
    trpc.runs.answer.mutationOptions({
      onSuccess: () => {
        setAnswer("");
        return Promise.all([queryClient.invalidateQueries(trpc.runs.get.pathFilter()), queryClient.invalidateQueries(trpc.runs.list.pathFilter())]);
      },
    }),
  );
  const text = typeof waiting.question === "string" ? waiting.question : JSON.stringify(waiting.question, null, 2);
  return (
    <section className="card" aria-labelledby="question-title" data-testid="run-question">
      <h2 id="question-title">The agent asks you</h2>
      <p className="muted">
        Step <code>{waiting.node_id}</code> waits for your answer; the run goes on with it.
      </p>
      <pre className="terminal">{text}</pre>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate({ id: runId, answer });
        }}
      >
        <label htmlFor="run-answer">Your answer</label>
        <textarea id="run-answer" value={answer} onChange={(e) => setAnswer(e.target.value)} />
        <button type="submit" disabled={send.isPending}>
          {send.isPending ? "Sending…" : "Send answer"}
        </button>
      </form>
      <ErrorAlert error={send.error} />
    </section>
  );
}
