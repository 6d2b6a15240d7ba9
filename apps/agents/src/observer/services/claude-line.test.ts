import { describe, expect, it } from "vitest";
import { readLine, scanLine } from "./claude-line";

// What readLine must give for a line: JSON.parse's result on the paths the accounting reads (a value
// of another kind than a path expects stays whole), or null for a line that is not a JSON object.
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const pick = (keys: string[], nested: Record<string, (v: unknown) => unknown> = {}) => (v: unknown) =>
  isObject(v) ? Object.fromEntries(keys.map((k) => [k, nested[k] ? nested[k](v[k]) : v[k]])) : v;
const block = pick(["type", "id", "name"]);
const usage = pick(["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "speed", "cache_creation"], {
  cache_creation: pick(["ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"]),
});
const message = pick(["id", "model", "usage", "content"], { usage, content: (v) => (Array.isArray(v) ? v.map(block) : v) });
const view = pick(["timestamp", "version", "sessionId", "requestId", "isSidechain", "isApiErrorMessage", "message"], { message });

function expected(line: Buffer): unknown {
  try {
    const data: unknown = JSON.parse(line.toString("utf8"));
    return typeof data === "object" && data !== null ? view(data) : null;
  } catch {
    return null;
  }
}
const read = (line: Buffer) => {
  const data = readLine(line, 0, line.length);
  return data === null ? null : view(data);
};

const assistant = (over: Record<string, unknown> = {}, content: unknown[] = [{ type: "text", text: "Looking at the file." }]) =>
  JSON.stringify({
    parentUuid: "a-1",
    isSidechain: false,
    userType: "external",
    cwd: "/work/demo-app",
    sessionId: "0000007f-1111-4222-8333-0000000f39a2",
    version: "2.0.14",
    gitBranch: "main",
    message: {
      id: "msg_0000000353",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content,
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 127,
        cache_creation_input_tokens: 6882,
        cache_read_input_tokens: 112228,
        cache_creation: { ephemeral_5m_input_tokens: 6882, ephemeral_1h_input_tokens: 0 },
        output_tokens: 1540,
        service_tier: "standard",
      },
    },
    requestId: "req_0000000353",
    type: "assistant",
    uuid: "a-4071-0",
    timestamp: "2026-11-01T23:50:05.828Z",
    ...over,
  });

// Lines as Claude Code writes them, and lines with every kind of value on and off the paths.
const SEEDS = [
  assistant(),
  assistant({}, [{ type: "text", text: "ok" }, { type: "tool_use", id: "toolu_1", name: "Edit", input: { file_path: "/a.ts", old: "{[\"]}", n: [1, -2.5e-3, true, null] } }]),
  assistant({ isSidechain: true, agentId: "a1b2c3", isApiErrorMessage: true }, []),
  assistant({ sessionId: "sé-ß-😀", requestId: "req_\u2028x" }, [{ type: "thinking", thinking: "Grüße \u0001 \\ \" /" }, "loose", 3, null, [{ type: "tool_use" }]]),
  assistant({ timestamp: 1_700_000_000_000, version: { major: 2 }, sessionId: null, requestId: ["r"], message: "not an object" }),
  assistant({ message: { id: 5, model: null, usage: [1, 2], content: "plain text" } }),
  assistant({ message: { id: "msg_n", model: "m", usage: { input_tokens: 1e3, output_tokens: -0, cache_read_input_tokens: 12345678901234567890, cache_creation_input_tokens: 0.5, speed: "fast", cache_creation: null } } }),
  assistant({ message: { usage: { input_tokens: 1, output_tokens: 2, cache_creation: [1] }, content: [{ type: "tool_use", id: { x: 1 }, name: ["Bash"] }] } }),
  '{"sessionId":"a","sessionId":"b","message":{"usage":{"input_tokens":1},"usage":{"output_tokens":2}},"message":{"id":"second","usage":{"input_tokens":3}}}',
  '{"\\u0073essionId":"escaped key","message":{"\\u0075sage":{"input_tokens":1},"model":"claude-\\u0073onnet"}}',
  '{"__proto__":{"sessionId":"p"},"message":{"__proto__":{"usage":1},"usage":{"__proto__":{"input_tokens":9},"input_tokens":4}}}',
  ' { "sessionId" : "spaced" ,\t"message":\r{ "usage" : { "input_tokens" : 7 } , "content" : [ { "type" : "tool_use" , "id" : "t" , "name" : "Read" } ] } } \t',
  `{"message":{"usage":{"input_tokens":1},"content":[{"type":"text","input":${"[".repeat(300)}${"]".repeat(300)}}]}}`,
  '{"message":{"usage":{"input_tokens":1}}}',
  "[1,2]",
  '"a string"',
  "{}",
];

/** Seeded mutations: bytes dropped, inserted, replaced, lines cut or repeated in part. */
function mutations(seed: number, count: number): Buffer[] {
  let s = seed;
  const rand = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const alphabet = Buffer.from('{}[]":,\\/ 0123456789-+.eEtrufalsn\t\ru\x00\x1f\x7f');
  const out: Buffer[] = [];
  for (let k = 0; k < count; k++) {
    const line = Buffer.from(SEEDS[rand(SEEDS.length)]!);
    const bytes = [...line];
    for (let m = 1 + rand(3); m > 0; m--) {
      const at = rand(bytes.length + 1);
      const kind = rand(6);
      const byte = rand(4) === 0 ? 0x80 + rand(0x80) : alphabet[rand(alphabet.length)]!;
      if (kind === 0) bytes.splice(at, 1);
      else if (kind === 1) bytes.splice(at, 0, byte);
      else if (kind === 2) bytes[at] = byte;
      else if (kind === 3) bytes.length = at;
      else if (kind === 4) bytes.splice(at, 0, ...bytes.slice(rand(bytes.length), rand(bytes.length)));
      else bytes.splice(at, 0, 0xe2, 0x82); // a cut multi-byte sequence
    }
    out.push(Buffer.from(bytes));
  }
  return out;
}

describe("Claude Code transcript line reader", () => {
  it("reads every seed line as JSON.parse does, on the paths the accounting reads", () => {
    for (const seed of SEEDS) expect(read(Buffer.from(seed)), seed).toEqual(expected(Buffer.from(seed)));
  });

  it("reads lines as Claude Code writes them itself, without JSON.parse", () => {
    const plain = [assistant(), assistant({}, [{ type: "tool_use", id: "toolu_1", name: "Edit", input: { a: [1, { b: "é" }] } }]), SEEDS[4]!, SEEDS[5]!, SEEDS[6]!, SEEDS[11]!];
    for (const line of plain) expect(scanLine(Buffer.from(line), 0, Buffer.byteLength(line)), line).toEqual(expected(Buffer.from(line)));
    const tools = scanLine(Buffer.from(SEEDS[1]!), 0, Buffer.byteLength(SEEDS[1]!))!.message as { content: unknown[] };
    expect(tools.content).toEqual([{ type: "text", id: undefined, name: undefined }, { type: "tool_use", id: "toolu_1", name: "Edit" }]);
  });

  it("rejects what JSON.parse rejects and agrees with it on everything else, over 20,000 mutated lines", () => {
    let parsed = 0;
    for (const line of mutations(7, 20_000)) {
      const want = expected(line);
      expect(read(line), JSON.stringify(line.toString("latin1"))).toEqual(want);
      if (want !== null) parsed++;
    }
    // Both kinds are well represented: lines still JSON, lines no longer JSON.
    expect(parsed).toBeGreaterThan(2_000);
    expect(parsed).toBeLessThan(18_000);
  });

  it("reads a line within a larger buffer only up to its end", () => {
    const a = assistant({ sessionId: "first" });
    const text = Buffer.from(`${a}\n${assistant({ sessionId: "second" })}\n`);
    expect(read(text.subarray(0, a.length))).toEqual(expected(Buffer.from(a)));
    expect(readLine(text, 0, a.length)).toMatchObject({ sessionId: "first" });
    expect(readLine(text, a.length + 1, text.length - 1)).toMatchObject({ sessionId: "second" });
    // A line cut short is not JSON, whatever follows it in the buffer.
    expect(readLine(text, 0, a.length - 1)).toBeNull();
  });
});
