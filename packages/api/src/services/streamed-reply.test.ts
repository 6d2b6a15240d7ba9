import { describe, expect, it } from "vitest";
import { streamedReplyText } from "./streamed-reply";

const line = (v: unknown) => `${JSON.stringify(v)}\r\n`;

describe("a reply as it streams from a Smith session", () => {
  it("shows only a coding agent's text: not its start-up event, tool calls or results", () => {
    const output =
      line({ type: "system", subtype: "init", cwd: "/srv/data/workspaces/org/ws", tools: ["Bash"], session_id: "s" }) +
      line({ type: "assistant", message: { content: [{ type: "text", text: "Looking at the files." }, { type: "tool_use", id: "t", name: "Bash", input: {} }] } }) +
      line({ type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t", content: "secret-ish output" }] } }) +
      line({ type: "assistant", message: { content: [{ type: "text", text: "Done: 3 files." }] } }) +
      '{"type":"result","subtype":"success","res';
    const text = streamedReplyText(output);
    expect(text).toBe("Looking at the files.\nDone: 3 files.");
    expect(text).not.toMatch(/\/srv|tools|secret-ish|result/);
  });

  it("shows a shell agent's output as written, its last line as it grows", () => {
    expect(streamedReplyText("$ ls\r\nnotes.txt\r\nbuild runn")).toBe("$ ls\nnotes.txt\nbuild runn");
  });
});
