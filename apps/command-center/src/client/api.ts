// The client's calls to its own server; errors carry the server's message, which says what to do.
import type { AgentView, ApiError, Branding, MeView, RunView } from "../views";

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new RequestError(0, "The Command Center cannot be reached; check your connection and try again");
  }
  const data = (await res.json().catch(() => undefined)) as T | ApiError | undefined;
  if (!res.ok) throw new RequestError(res.status, (data as ApiError | undefined)?.message ?? `The server answered ${res.status}; try again`);
  return data as T;
}

export const api = {
  me: () => request<MeView>("GET", "/api/me"),
  login: (email: string, password: string) => request<MeView>("POST", "/api/auth/login", { email, password }),
  logout: () => request<{ ok: boolean }>("POST", "/api/auth/logout"),
  agents: () => request<{ agents: AgentView[] }>("GET", "/api/agents"),
  agent: (id: string) => request<AgentView>("GET", `/api/agents/${encodeURIComponent(id)}`),
  run: (id: string, input: string) => request<{ run_id: string; run: RunView }>("POST", `/api/agents/${encodeURIComponent(id)}/runs`, { input }),
  runs: () => request<{ runs: RunView[] }>("GET", "/api/runs"),
  getRun: (id: string) => request<RunView>("GET", `/api/runs/${encodeURIComponent(id)}`),
  answerRun: (id: string, answer: string) => request<{ answered: true }>("POST", `/api/runs/${encodeURIComponent(id)}/answer`, { answer }),
};

/** The branding the server put into index.html. */
export function branding(): Branding {
  const el = document.getElementById("branding");
  const fallback: Branding = { product_name: "Command Center", colors: { primary: "#4f46e5" } };
  try {
    return el?.textContent ? (JSON.parse(el.textContent) as Branding) : fallback;
  } catch {
    return fallback;
  }
}
