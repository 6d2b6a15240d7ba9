// What a chat shows of a reply while a Smith session writes it. A coding agent (Claude Code in
// stream-json mode) writes one JSON event per line: only its text is the reply, never its start-up
// event (tools, server paths) or tool traffic. Other output (a shell agent) shows as written.
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function eventText(line: string): string | null {
  if (!line.trimStart().startsWith("{")) return null;
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(event) || typeof event.type !== "string") return null;
  if (event.type !== "assistant" || !isObject(event.message) || !Array.isArray(event.message.content)) return "";
  return event.message.content.map((b: unknown) => (isObject(b) && b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
}

/** The reply so far from a session's raw output; a last line still being written waits for its newline. */
export function streamedReplyText(output: string): string {
  const lines = output.replaceAll("\r\n", "\n").split("\n");
  const partial = lines.pop() ?? "";
  const parts: string[] = [];
  for (const line of lines) {
    const text = eventText(line);
    if (text === null) parts.push(`${line}\n`);
    else if (text) parts.push(text.endsWith("\n") ? text : `${text}\n`);
  }
  // Output that is not an event stream (a shell) shows its last line as it grows.
  if (partial && !partial.trimStart().startsWith("{")) parts.push(partial);
  return parts.join("").trimEnd();
}
