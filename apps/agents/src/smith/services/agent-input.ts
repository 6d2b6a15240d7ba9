// The input side of a Claude Code conversation: stream-json lines into the session's named pipe
// (user messages, permission decisions, interrupts), and the decisions kept beside the output so
// pending approvals can be told from answered ones after a Smith restart.
import type { SmithAgentEvent, SmithApproval, SmithApprovalDecision } from "@kayos/contracts";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { HttpError } from "../../shared/errors";
import { END_OF_INPUT } from "./agents";

type PermissionRequest = Extract<SmithAgentEvent, { type: "permission_request" }>;

interface DecisionRecord {
  request_id: string;
  behavior: SmithApprovalDecision["behavior"];
  at: string;
}

const inputPipe = (sessionDir: string) => path.join(sessionDir, "input");
const decisionsFile = (sessionDir: string) => path.join(sessionDir, "decisions.jsonl");

/** Creates the pipe the CLI reads (before it starts). */
export function createInputPipe(sessionDir: string) {
  const pipe = inputPipe(sessionDir);
  if (!fs.existsSync(pipe)) execFileSync("mkfifo", ["-m", "600", pipe]);
  return pipe;
}

export class AgentInput {
  private readonly fd: number;
  private writing: Promise<void> = Promise.resolve();
  private ended = false;

  constructor(private readonly sessionDir: string) {
    // Read-write: never blocks, and never fails for want of a reader while the CLI starts.
    this.fd = fs.openSync(inputPipe(sessionDir), fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  }

  message(text: string) {
    return this.send({ type: "user", message: { role: "user", content: [{ type: "text", text }] }, parent_tool_use_id: null, session_id: "" });
  }

  /** Ends the current turn; the conversation goes on with the next message. */
  interrupt() {
    return this.send({ type: "control_request", request_id: `smith_interrupt_${Date.now()}`, request: { subtype: "interrupt" } });
  }

  async decide(request: PermissionRequest, decision: SmithApprovalDecision) {
    const record: DecisionRecord = { request_id: request.request_id, behavior: decision.behavior, at: new Date().toISOString() };
    // Recorded first: a decision that reached the agent is never shown as pending again.
    fs.appendFileSync(decisionsFile(this.sessionDir), `${JSON.stringify(record)}\n`);
    const response =
      decision.behavior === "allow"
        ? { behavior: "allow", updatedInput: request.input ?? {} }
        : { behavior: "deny", message: decision.message ?? "The user denied this tool use." };
    await this.send({ type: "control_response", response: { subtype: "success", request_id: request.request_id, response } });
  }

  /** No more messages: the agent finishes its turn and exits. */
  async end() {
    await this.writeLine(END_OF_INPUT);
    this.ended = true;
  }

  close() {
    fs.closeSync(this.fd);
  }

  private send(message: unknown) {
    if (this.ended) throw new HttpError(409, "The conversation's input has ended; start a new session (resume it) to go on");
    return this.writeLine(JSON.stringify(message));
  }

  // One line at a time, whole, in order; a full pipe (the agent busy) is waited out, not dropped.
  private writeLine(line: string) {
    const data = Buffer.from(`${line}\n`);
    const next = this.writing.then(() => writeAll(this.fd, data));
    this.writing = next.catch(() => undefined);
    return next;
  }
}

async function writeAll(fd: number, data: Buffer) {
  for (let at = 0; at < data.length; ) {
    try {
      at += fs.writeSync(fd, data, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Whether the agent's last word was the end of a turn or a permission request: it waits for us. */
export const awaitsInput = (events: SmithAgentEvent[]) => {
  const last = events.at(-1)?.type;
  return last === "result" || last === "permission_request";
};

/** Every permission request of the session with its decision (null while pending). */
export function approvalsOf(events: SmithAgentEvent[], sessionDir: string): SmithApproval[] {
  const decided = new Map<string, DecisionRecord["behavior"]>();
  try {
    for (const line of fs.readFileSync(decisionsFile(sessionDir), "utf8").split("\n")) {
      if (!line) continue;
      const record = JSON.parse(line) as DecisionRecord;
      decided.set(record.request_id, record.behavior);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return events
    .filter((e): e is PermissionRequest => e.type === "permission_request")
    .map(({ type: _, ...request }) => ({ ...request, decision: decided.get(request.request_id) ?? null }));
}
