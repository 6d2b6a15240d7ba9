// Claude Code's `--output-format stream-json` lines into Smith's structured agent events.
import type { SmithAgentEvent, SmithAgentResult } from "@kayos/contracts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" ? v : undefined);

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((c) => (isObject(c) && typeof c.text === "string" ? c.text : "")).join("");
  return "";
}

/** The events one stream-json line carries (none for lines that are not Claude Code events). */
export function parseClaudeLine(line: string): SmithAgentEvent[] {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return [];
  let event: unknown;
  try {
    event = JSON.parse(trimmed);
  } catch {
    return [];
  }
  if (!isObject(event)) return [];
  if (event.type === "system" && event.subtype === "init" && typeof event.session_id === "string") {
    const tools = Array.isArray(event.tools) ? event.tools.filter((t): t is string => typeof t === "string") : undefined;
    return [{ type: "init", agent_session_id: event.session_id, model: str(event.model), tools }];
  }
  if ((event.type === "assistant" || event.type === "user") && isObject(event.message) && Array.isArray(event.message.content)) {
    const out: SmithAgentEvent[] = [];
    for (const block of event.message.content) {
      if (!isObject(block)) continue;
      if (block.type === "text" && typeof block.text === "string") out.push(event.type === "assistant" ? { type: "assistant_text", text: block.text } : { type: "user_message", text: block.text });
      if (block.type === "tool_use") out.push({ type: "tool_call", id: str(block.id) ?? "", name: str(block.name) ?? "", input: block.input ?? null });
      if (block.type === "tool_result") {
        out.push({ type: "tool_result", tool_use_id: str(block.tool_use_id) ?? "", is_error: block.is_error === true, content: contentText(block.content) });
      }
    }
    return out;
  }
  if (event.type === "result") return [{ type: "result", ...resultOf(event) }];
  if (event.type === "control_request" && isObject(event.request) && event.request.subtype === "can_use_tool" && typeof event.request_id === "string") {
    const r = event.request;
    return [
      { type: "permission_request", request_id: event.request_id, tool: str(r.tool_name) ?? "", input: r.input ?? null, tool_use_id: str(r.tool_use_id), description: str(r.description) },
    ];
  }
  return [];
}

function resultOf(event: Json): SmithAgentResult {
  return {
    is_error: event.is_error === true,
    subtype: str(event.subtype),
    result: str(event.result),
    agent_session_id: str(event.session_id),
    num_turns: num(event.num_turns),
    duration_ms: num(event.duration_ms),
    total_cost_usd: num(event.total_cost_usd),
    usage: isObject(event.usage) ? event.usage : undefined,
  };
}

/** Splits terminal output into lines (CR LF or LF), keeping each line's start offset. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingStart: number;

  constructor(
    start: number,
    private readonly onLine: (line: string, offset: number, end: number) => void,
    private readonly maxLine = 60 * 1024,
  ) {
    this.pendingStart = start;
  }

  push(buf: Buffer, offset: number) {
    let from = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, from)) {
      this.pending.push(buf.subarray(from, nl));
      this.emit(offset + nl + 1);
      from = nl + 1;
    }
    if (from < buf.length) this.pending.push(buf.subarray(from));
    const pendingBytes = this.pending.reduce((n, b) => n + b.length, 0);
    if (pendingBytes >= this.maxLine) this.emit(offset + buf.length);
  }

  /** Emits what is left (at the end of the output). */
  flush(end: number) {
    if (this.pending.length > 0) this.emit(end);
  }

  /** Offset of the first byte not yet emitted as part of a line. */
  get position() {
    return this.pendingStart;
  }

  private emit(end: number) {
    const line = Buffer.concat(this.pending).toString("utf8").replace(/\r$/, "");
    this.pending = [];
    const start = this.pendingStart;
    this.pendingStart = end;
    this.onLine(line, start, end);
  }
}

/** Terminal escape sequences (colors, cursor moves, titles) out of a line meant for reading. */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]/g, "");
}
