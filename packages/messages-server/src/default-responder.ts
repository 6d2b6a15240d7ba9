import { lastToolResults, lastUserText, type MessagesCall } from "./recorded-request";
import { type Reply, reply } from "./replies";

/** Answers a request nobody scripted. */
export type Responder = (call: MessagesCall) => Reply;

// Claude Code wraps context in <system-reminder> blocks; the person's words are what is left.
function spokenText(text: string): string {
  return text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, "").replace(/\s+/g, " ").trim();
}

function quote(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The offline answer: deterministic, plainly labelled "[offline]" so a person running the platform
 * without an API key never mistakes it for Claude, and echoing the last user message so the
 * conversation visibly went through.
 */
export const offlineResponder: Responder = (call) => {
  const results = lastToolResults(call.body);
  if (results.length > 0) {
    const names = [...new Set(results.map((result) => result.toolName ?? "unknown tool"))].join(", ");
    return reply.text(`[offline] Received ${results.length} tool result(s) from ${names}. This is the local Messages API server, not Claude; nothing more to do.`);
  }
  const said = spokenText(lastUserText(call.body));
  const echo = said ? ` You said: "${quote(said)}"` : "";
  return reply.text(`[offline] This reply comes from the local Messages API server (no ANTHROPIC_API_KEY is set), not from Claude.${echo}`);
};
