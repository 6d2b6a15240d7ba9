// An end user's browser, reduced: a cookie jar, JSON calls, and an SSE reader that stops at done.
import { readSse } from "../src/adapters/sse";

export interface StreamEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

/** `base` may be a function, for a server that gets a new port when it restarts. */
export function userClient(baseOf: string | (() => string)) {
  const url = (p: string) => `${typeof baseOf === "string" ? baseOf : baseOf()}${p}`;
  let cookie = "";
  const call = async <T = Record<string, unknown>>(method: string, p: string, body?: unknown) => {
    const res = await fetch(url(p), {
      method,
      headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) cookie = setCookie.split(";")[0]!;
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    // Tests name the shape they expect; a wrong guess fails their assertions.
    return { status: res.status, body: json as T, headers: res.headers };
  };

  return {
    call,
    get cookie() {
      return cookie;
    },
    login: (email: string, password: string) => call("POST", "/api/auth/login", { email, password }),
    /** Reads a run's stream until done (or `stopAfter` events, or an event `until` accepts), bounded by a timeout. */
    async stream(runId: string, opts: { lastEventId?: number; stopAfter?: number; until?: (e: StreamEvent) => boolean; timeoutMs?: number } = {}) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error("stream timed out")), opts.timeoutMs ?? 15_000);
      const res = await fetch(url(`/api/runs/${runId}/stream`), {
        headers: { cookie, ...(opts.lastEventId !== undefined ? { "last-event-id": String(opts.lastEventId) } : {}) },
        signal: controller.signal,
      });
      const events: StreamEvent[] = [];
      try {
        if (!res.ok || !res.body) return { status: res.status, events, body: await res.text() };
        for await (const m of readSse(res.body, controller.signal)) {
          const event: StreamEvent = { id: Number(m.id), event: m.event, data: JSON.parse(m.data) as Record<string, unknown> };
          events.push(event);
          if (m.event === "done" || events.length === opts.stopAfter || opts.until?.(event)) break;
        }
        return { status: res.status, events, body: "" };
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
    },
  };
}

export const textOf = (events: StreamEvent[]) =>
  events
    .filter((e) => e.event === "delta")
    .map((e) => e.data.text)
    .join("");
