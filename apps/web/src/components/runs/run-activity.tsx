"use client";

import type { RouterOutputs } from "@kayos/api";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useFinalRefetch } from "./use-final-refetch";

type AgentEvent = RouterOutputs["runs"]["events"]["events"][number];

const MAX_SHOWN = 2_000;
const clip = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters)` : text);

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
      return (
        <li data-testid="activity-text">
          <strong>Agent</strong>
          <p style={{ whiteSpace: "pre-wrap" }}>{event.text}</p>
        </li>
      );
    case "tool_call":
      return (
        <li>
          <details>
            <summary>
              <span className="badge checking">tool</span> {event.name}
            </summary>
            <pre className="terminal">{clip(JSON.stringify(event.input, null, 2))}</pre>
          </details>
        </li>
      );
    case "tool_result":
      return (
        <li>
          <details>
            <summary>
              <span className={`badge ${event.is_error ? "down" : "healthy"}`}>{event.is_error ? "tool error" : "tool result"}</span>
            </summary>
            <pre className="terminal">{clip(event.content)}</pre>
          </details>
        </li>
      );
    case "user_message":
      return (
        <li>
          <strong>You</strong>
          <p style={{ whiteSpace: "pre-wrap" }}>{event.text}</p>
        </li>
      );
    case "permission_request":
      return (
        <li>
          <details>
            <summary>
              <span className="badge checking">asks to use</span> {event.tool}
              {event.description ? ` · ${event.description}` : ""}
            </summary>
            <pre className="terminal">{clip(JSON.stringify(event.input, null, 2))}</pre>
          </details>
        </li>
      );
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
      {events.isPending && <p className="muted" role="status">Loading…</p>}
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
