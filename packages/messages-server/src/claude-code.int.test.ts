import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { match, matchMainLoop, type MessagesServer, reply, startMessagesServer } from "./index";

// The real Claude Code CLI against the server: the way Smith's tests will drive it.
const claude = resolve(import.meta.dirname, "../../../node_modules/.bin/claude");
let server: MessagesServer;
let dir: string;

interface Run {
  code: number | null;
  events: { type: string; subtype?: string; is_error?: boolean; result?: string }[];
  stderr: string;
}

function runClaude(prompt: string, timeoutMs = 60_000): Promise<Run> {
  const child = spawn(claude, ["-p", prompt, "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"], {
    cwd: dir,
    // An open stdin makes the CLI wait for piped input; /dev/null does not.
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: "test",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      IS_SANDBOX: "1",
      CLAUDE_CONFIG_DIR: dir,
      HOME: dir,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((done) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      const events = stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
      done({ code, events, stderr });
    }),
  );
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "messages-server-cc-"));
  server = await startMessagesServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Claude Code CLI against the server", () => {
  it("runs a scripted Write tool call and finishes with a successful result", { timeout: 90_000 }, async () => {
    const file = join(dir, "hello.txt");
    server.script
      .when(match.all(matchMainLoop, match.not(match.hasToolResult())), reply.toolUse("Write", { file_path: file, content: "hi" }, { text: "Creating it." }))
      .when(match.all(matchMainLoop, match.hasToolResult("Write")), reply.text("Created hello.txt containing hi."));

    const run = await runClaude("create hello.txt containing hi");

    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toBe("hi");
    expect(run.events.at(-1)).toMatchObject({ type: "result", is_error: false, result: "Created hello.txt containing hi." });
    expect(server.script.pending).toBe(0);
    const loop = server.requests.filter((r) => r.path === "/v1/messages");
    expect(loop.every((r) => r.beta && r.status === 200)).toBe(true);
  });

  it("gets a clearly offline answer from the default responder when nothing is scripted", { timeout: 90_000 }, async () => {
    const run = await runClaude("say hello");
    expect(run.code, run.stderr).toBe(0);
    const result = run.events.at(-1);
    expect(result).toMatchObject({ type: "result", is_error: false });
    expect(result?.result).toMatch(/^\[offline\].*say hello/);
    expect(existsSync(join(dir, "projects"))).toBe(true);
  });
});
