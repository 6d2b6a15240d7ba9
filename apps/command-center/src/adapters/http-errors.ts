// Turns a failed call to an agent's server into a message an end user (or their admin) can act on.
import { AgentError } from "./adapter";

export async function failureOf(what: string, res: Response): Promise<AgentError> {
  const text = await res.text().catch(() => "");
  let detail = text.slice(0, 500);
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown; detail?: unknown };
    const message = body.message ?? body.detail ?? body.error;
    if (typeof message === "string") detail = message;
  } catch {
    // not JSON: keep the text
  }
  return new AgentError(`${what} answered ${res.status}${detail ? `: ${detail}` : ""}`);
}

export function unreachable(what: string, url: string, error: unknown): AgentError {
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new AgentError(`${what} at ${url} could not be reached (${cause}); check that it is running and the URL in the agent's config`);
}

/** fetch that names the agent's server when it cannot be reached. */
export async function call(what: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw unreachable(what, url, error);
  }
}
