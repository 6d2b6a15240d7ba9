import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { reply, startMessagesServer } from "./index";

const claude = resolve(import.meta.dirname, "../../../node_modules/.bin/claude");
const server = await startMessagesServer();
const dir = mkdtempSync(join(tmpdir(), "ccexp-"));
const fifo = join(dir, "input");
execFileSync("mkfifo", [fifo]);
server.script.push(reply.text("A long answer ".repeat(200), { stream: { chunkChars: 4, deltaDelayMs: 20 } }));
const script = `{ sed -u '/^SMITH_END$/Q'; } <> "$FIFO" | exec "$CLAUDE" -p --input-format stream-json --output-format stream-json --verbose --replay-user-messages --permission-prompt-tool stdio`;
const child = spawn("/bin/sh", ["-c", script], {
  cwd: dir,
  stdio: ["ignore", "pipe", "pipe"],
  env: { ...process.env, FIFO: fifo, CLAUDE: claude, ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: "test", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", CLAUDE_CONFIG_DIR: dir, HOME: dir },
});
const fd = openSync(fifo, "r+");
const send = (o: unknown) => { const s = typeof o === "string" ? o : JSON.stringify(o); console.log(">>", s.slice(0, 200)); writeSync(fd, s + "\n"); };
let buf = "";
let n = 0;
child.stdout.on("data", (c: Buffer) => {
  buf += c.toString();
  let i;
  while ((i = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const m = JSON.parse(line);
    if (false) { const t0 = Date.now(); console.log("timer set"); setTimeout(() => { console.log("fired after", Date.now() - t0); send({ type: "control_request", request_id: "int1", request: { subtype: "interrupt" } }); }, 1000); }
    console.log(Date.now() % 100000, "<<", line.slice(0, 200));
    if (m.type === "result") {
      if (m.num_turns !== undefined && !globalThis.sent2) { globalThis.sent2 = true; send({ type: "user", message: { role: "user", content: [{ type: "text", text: "second" }] }, parent_tool_use_id: null, session_id: "" }); send("SMITH_END"); }
    }
  }
});
child.stderr.on("data", (c: Buffer) => console.log("ERR", c.toString()));
send({ type: "user", message: { role: "user", content: [{ type: "text", text: "first" }] }, parent_tool_use_id: null, session_id: "" });
setTimeout(() => send({ type: "control_request", request_id: "int1", request: { subtype: "interrupt" } }), 4000);
const t = setTimeout(() => child.kill("SIGKILL"), 60000);
child.on("close", async (code) => { clearTimeout(t); console.log("exit", code); await server.close(); process.exit(0); });
