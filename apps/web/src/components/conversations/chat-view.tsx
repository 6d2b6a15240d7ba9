"use client";

import { sendMessageInput } from "@kayos/api/routers/conversations/schema";
import { streamedReplyText } from "@kayos/api/services/streamed-reply";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { isFinished } from "@kayos/api/services/run-status";
import { useRunStream } from "~/components/runs/use-run-stream";
import { ErrorAlert } from "~/components/ui/error-alert";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";


/** A reply still being written: its tokens stream in; when the run ends the conversation reloads. */
function StreamingReply({ runId, service, onDone }: { runId: string; service: string; onDone: () => void }) {
  const stream = useRunStream(runId, service);
  useEffect(() => {
    if (stream.done || stream.error) onDone();
  }, [stream.done, stream.error, onDone]);
  const text = service === "smith" ? streamedReplyText(stream.text) : stream.text;
  return (
    <>
      <div className="bubble-text">{text || <span className="muted">Thinking…</span>}</div>
      {stream.error && <p className="field-error">The reply failed: {stream.error}. Send your message again to retry.</p>}
      <p className="muted small" aria-live="polite">
        {stream.connected ? "replying…" : "connecting…"} · <Link href={`/runs/${runId}`}>run</Link>
      </p>
    </>
  );
}

export function ChatView({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const conversation = useQuery(trpc.conversations.get.queryOptions({ id }));
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const refresh = () => void queryClient.invalidateQueries(trpc.conversations.get.queryFilter({ id }));
  const send = useMutation(
    trpc.conversations.send.mutationOptions({
      onSuccess: () => {
        setDraft("");
        refresh();
      },
    }),
  );
  const count = conversation.data?.messages.length ?? 0;
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [count]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const parsed = sendMessageInput.safeParse({ id, content: draft });
    setProblem(parsed.success ? null : (parsed.error.issues[0]?.message ?? "Invalid message"));
    if (parsed.success) send.mutate(parsed.data);
  }
  // Enter sends, Shift+Enter makes a new line (as in every chat).
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey) submit(event);
  }

  return (
    <QueryState query={conversation} empty={null}>
      {(c) => {
        const replying = c.messages.some((m) => m.role === "assistant" && !m.content && m.run && !isFinished(m.run.status));
        return (
          <>
            <div>
              <p className="muted">
                <Link href="/conversations">Conversations</Link> / {c.title}
              </p>
              <h1>{c.title}</h1>
              <p className="muted">{c.agent ? `with ${c.agent.name} (${c.agent.agentType})` : "with Claude"}</p>
            </div>
            <section className="card chat" aria-label="Messages">
              {c.messages.length === 0 && <p className="empty">No messages yet. Ask something below.</p>}
              <ol className="messages">
                {c.messages.map((m) => (
                  <li key={m.id} className={`bubble ${m.role}`} data-testid={`message-${m.role}`}>
                    <span className="sr-only">{m.role === "user" ? "You:" : "Agent:"}</span>
                    {m.role === "assistant" && !m.content && m.run ? (
                      isFinished(m.run.status) ? (
                        <div className="bubble-text muted">Loading the reply…</div>
                      ) : (
                        <StreamingReply runId={m.run.id} service={m.run.service} onDone={refresh} />
                      )
                    ) : (
                      <div className="bubble-text">{m.content}</div>
                    )}
                  </li>
                ))}
              </ol>
              <div ref={bottom} />
            </section>
            <form className="stack card" onSubmit={submit} aria-label="Send a message">
              <ErrorAlert error={send.error} />
              <label>
                Message
                <textarea
                  value={draft}
                  onChange={(e) => setDraft(e.target.value)}
                  onKeyDown={onKeyDown}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? "message-problem" : undefined}
                  placeholder="Ask the agent… (Enter sends, Shift+Enter for a new line)"
                />
              </label>
              {problem && (
                <p id="message-problem" className="field-error">
                  {problem}
                </p>
              )}
              <div>
                <button className="primary" type="submit" disabled={send.isPending || replying}>
                  {send.isPending ? "Sending…" : replying ? "Waiting for the reply…" : "Send"}
                </button>
              </div>
            </form>
          </>
        );
      }}
    </QueryState>
  );
}
