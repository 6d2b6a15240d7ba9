"use client";

import type { RouterOutputs } from "@kayos/api";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useFinalRefetch } from "./use-final-refetch";

type AgentEvent = RouterOutputs["runs"]["events"]["events"][number];

const MAX_SHOWN = 2_000;
const clip = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters)` : text);

/** A message in the activity: who said it and what. */
function Said({ who, text, testId }: { who: string; text: string; testId?: string }) {
  return (
    <li data-testid={testId}>
      <strong>{who}</strong>
      <p style={{ whiteSpace: "pre-wrap" }}>{text}</p>
    </li>
  );
}

/** A tool step in the activity: a badge and a title, its payload folded away. */
function Folded({ badge, tone = "checking", title, body }: { badge: string; tone?: string; title?: string; body: string }) {
  return (
    <li>
      <details>
        <summary>
          <span className={`badge ${tone}`}>{badge}</span> {title}
        </summary>
        <pre className="terminal">{clip(body)}</pre>
      </details>
    </li>
  );
}

function Event({ event }: { event: AgentEvent }) {
  switch (event.type) {
    case "init":
      return (
        <li className="muted">
          Session started{event.model ? ` with ${event.model}` : ""}
          {event.tools?.length ? ` · ${event.tools.length} tools` : ""}
        </li>
      );
    case "assistant_text":
      return <Said who="Agent" text={event.text} testId="activity-text" />;
    case "user_message":
      return <Said who="You" text={event.text} />;
    case "tool_call":
      return <Folded badge="tool" title={event.name} body={JSON.stringify(event.input, null, 2)} />;
    case "tool_result":
      return <Folded badge={event.is_error ? "tool error" : "tool result"} tone={event.is_error ? "down" : "healthy"} body={event.content} />;
    case "permission_request":
      return <Folded badge="asks to use" title={`${event.tool}${event.description ? ` · ${event.description}` : ""}`} body={JSON.stringify(event.input, null, 2)} />;
    case "result":
      return (
        <li data-testid="activity-result">
          <span className={`badge ${event.is_error ? "down" : "healthy"}`}>{event.is_error ? "failed" : "done"}</span>{" "}
          {event.num_turns !== undefined ? `after ${event.num_turns} ${event.num_turns === 1 ? "turn" : "turns"}` : ""}
          {event.total_cost_usd !== undefined ? ` · $${event.total_cost_usd.toFixed(4)}` : ""}
          {event.duration_ms !== undefined ? ` · ${(event.duration_ms / 1000).toFixed(1)} s` : ""}
        </li>
      );
  }
}

/** What a coding agent did, as structured events from Smith: its messages, tool calls and results. */
export function RunActivity({ runId, finished }: { runId: string; finished: boolean }) {
  const trpc = useTRPC();
  const events = useQuery({ ...trpc.runs.events.queryOptions({ id: runId }), refetchInterval: finished ? false : 2000 });
  useFinalRefetch(events, finished);
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Agent activity</h2>
      {events.isPending && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {events.isError && <p className="muted">Could not read the agent&apos;s events: {events.error.message}</p>}
      {events.data && events.data.events.length === 0 && <p className="empty">{finished ? "The agent reported nothing." : "Waiting for the agent…"}</p>}
      {events.data && events.data.events.length > 0 && (
        <ol className="activity" data-testid="run-activity">
          {events.data.events.map((e, i) => (
            <Event key={i} event={e} />
          ))}
        </ol>
      )}
    </section>
  );
}
