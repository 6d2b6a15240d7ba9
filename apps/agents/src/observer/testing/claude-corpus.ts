// Generates Claude Code-style transcripts (compact JSONL, as Claude Code writes them) with every case
// the accounting must get right: responses split over several lines with partial streaming counts,
// subagent sidechains (own responses and replays of the parent's), sessions resumed into a new file
// that copies earlier responses, synthetic placeholders, summaries and malformed lines.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = ["claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001", "claude-sonnet-4-20250514"];
const TOOLS = ["Read", "Edit", "Bash", "Grep", "Write", "Glob", "Task"];
const WORDS = "the quick brown fox jumps over lazy dog agent code file test build fix refactor function module import export".split(" ");

export interface CorpusOptions {
  dir: string;
  sessions: number;
  turnsPerSession: number;
  seed?: number;
  /** Size of tool results and texts; raises bytes per turn without changing the accounting. */
  payloadBytes?: number;
}

export function generateCorpus(o: CorpusOptions): { files: number; bytes: number } {
  const rand = rng(o.seed ?? 42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const text = (n: number) => {
    const out: string[] = [];
    let len = 0;
    while (len < n) {
      const w = pick(WORDS);
      out.push(w);
      len += w.length + 1;
    }
    return out.join(" ");
  };
  const project = path.join(o.dir, "projects", "-work-demo-app");
  mkdirSync(project, { recursive: true });
  let files = 0;
  let bytes = 0;
  const write = (file: string, lines: string[]) => {
    mkdirSync(path.dirname(file), { recursive: true });
    const body = lines.join("\n") + "\n";
    writeFileSync(file, body);
    files++;
    bytes += Buffer.byteLength(body);
  };
  let clock = Date.UTC(2026, 10, 1, 8, 0, 0);
  let counter = 0;
  const payload = o.payloadBytes ?? 400;
  const previous: { lines: string[]; session: string }[] = [];

  for (let s = 0; s < o.sessions; s++) {
    const session = `${(s + 1).toString(16).padStart(8, "0")}-1111-4222-8333-${(s * 7919).toString(16).padStart(12, "0")}`;
    const main: string[] = [];
    const side: string[] = [];
    const responses: { line: (sessionId: string) => string; ts: string; id: string }[] = [];
    const base = (sessionId: string, ts: string, sidechain: boolean) => ({
      parentUuid: null as string | null,
      isSidechain: sidechain,
      userType: "external",
      cwd: "/work/demo-app",
      sessionId,
      version: "2.0.14",
      gitBranch: "main",
    });
    // A resumed session starts with copies of an earlier session's responses (same message and request ids).
    if (previous.length > 0 && rand() < 0.3) {
      const from = previous[int(previous.length)]!;
      for (const l of from.lines.slice(0, 4)) main.push(l.replaceAll(from.session, session));
    }
    for (let t = 0; t < o.turnsPerSession; t++) {
      clock += 1000 + int(30_000);
      const ts = new Date(clock).toISOString();
      main.push(
        JSON.stringify({ ...base(session, ts, false), type: "user", message: { role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${counter}`, content: text(payload * 2) }] }, uuid: `u-${counter}`, timestamp: ts }),
      );
      const model = pick(MODELS);
      const id = `msg_${(++counter).toString(36).padStart(10, "0")}`;
      const req = `req_${counter.toString(36).padStart(10, "0")}`;
      const usage = (out: number) => ({
        input_tokens: 3 + int(50),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: out,
        service_tier: "standard",
      });
      const input = 3 + int(500);
      const write5m = int(20_000);
      const write1h = rand() < 0.2 ? int(5_000) : 0;
      const read = int(150_000);
      const output = 20 + int(3_000);
      const finalUsage = {
        input_tokens: input,
        cache_creation_input_tokens: write5m + write1h,
        cache_read_input_tokens: read,
        cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h },
        output_tokens: output,
        service_tier: "standard",
      };
      // One line per content block; all but the last may carry partial streaming counts.
      const blocks: unknown[] = [{ type: "text", text: text(payload) }];
      const tools = int(3);
      for (let k = 0; k < tools; k++) blocks.push({ type: "tool_use", id: `toolu_${counter}_${k}`, name: pick(TOOLS), input: { file_path: `/work/demo-app/src/${pick(WORDS)}.ts` } });
      blocks.forEach((block, k) => {
        const last = k === blocks.length - 1;
        const u = last || rand() < 0.5 ? finalUsage : { ...usage(1 + int(10)), input_tokens: input, cache_read_input_tokens: read, cache_creation_input_tokens: write5m + write1h };
        const line = (sessionId: string) =>
          JSON.stringify({ ...base(sessionId, ts, false), message: { id, type: "message", role: "assistant", model, content: [block], stop_reason: last ? "tool_use" : null, stop_sequence: null, usage: u }, requestId: req, type: "assistant", uuid: `a-${counter}-${k}`, timestamp: ts });
        main.push(line(session));
        if (last) responses.push({ line, ts, id });
      });
      if (rand() < 0.05) main.push(`{"type":"assistant","message":{"usage":{"input_tokens":`);
      if (rand() < 0.05) {
        main.push(JSON.stringify({ ...base(session, ts, false), type: "assistant", message: { id: `msg_syn_${counter}`, model: "<synthetic>", role: "assistant", content: [{ type: "text", text: "No response requested." }], usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } }, uuid: `syn-${counter}`, timestamp: ts }));
      }
      // Subagent (Task) work on the sidechain, sometimes replaying the parent's last response.
      if (rand() < 0.15) {
        const sid = `msg_${(++counter).toString(36).padStart(10, "0")}`;
        side.push(JSON.stringify({ ...base(session, ts, true), message: { id: sid, type: "message", role: "assistant", model: "claude-haiku-4-5-20251001", content: [{ type: "text", text: text(payload) }], usage: { input_tokens: 10 + int(100), cache_creation_input_tokens: int(3000), cache_read_input_tokens: int(9000), output_tokens: 5 + int(500) } }, requestId: `req_${counter.toString(36)}`, type: "assistant", uuid: `s-${counter}`, timestamp: ts, agentId: "a1b2c3" }));
        if (rand() < 0.5) {
          const replay = JSON.parse(responses[responses.length - 1]!.line(session));
          replay.isSidechain = true;
          replay.requestId = `req_replay_${counter}`;
          side.push(JSON.stringify(replay));
        }
      }
    }
    main.push(JSON.stringify({ type: "summary", summary: text(40), leafUuid: `a-${counter}-0` }));
    write(path.join(project, `${session}.jsonl`), main);
    if (side.length > 0) write(path.join(project, session, "subagents", `agent-a1b2c3.jsonl`), side);
    previous.push({ lines: main.filter((l) => l.includes('"type":"assistant"') && l.includes('"usage":{')), session });
    if (previous.length > 20) previous.shift();
  }
  return { files, bytes };
}
