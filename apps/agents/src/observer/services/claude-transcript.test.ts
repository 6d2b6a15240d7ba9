import { describe, expect, it } from "vitest";
import { parseTranscript, TranscriptAccumulator } from "./claude-transcript";

const ts = "2026-11-20T10:00:00.000Z";
const line = (o: { id?: string; req?: string; out: number; side?: boolean; session?: string; model?: string; at?: string; tools?: string[]; input?: number }) =>
  JSON.stringify({
    isSidechain: o.side ?? false,
    type: "assistant",
    sessionId: o.session ?? "s1",
    ...(o.req === undefined ? {} : { requestId: o.req }),
    timestamp: o.at ?? ts,
    message: {
      ...(o.id === undefined ? {} : { id: o.id }),
      model: o.model ?? "claude-sonnet-4-5-20250929",
      content: (o.tools ?? []).map((name, i) => ({ type: "tool_use", id: `toolu_${o.id}_${name}_${i}`, name, input: { x: "y" } })),
      usage: { input_tokens: o.input ?? 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000, output_tokens: o.out, cache_creation: { ephemeral_5m_input_tokens: 60, ephemeral_1h_input_tokens: 40 } },
    },
  });
const parse = (lines: string[]) => parseTranscript(Buffer.from(lines.join("\n") + "\n"));

describe("Claude Code transcript accounting", () => {
  it("counts a response written as several lines once, with its largest usage and all its tool calls", () => {
    const { records } = parse([
      line({ id: "msg_a", req: "r1", out: 1, tools: ["Read"] }),
      line({ id: "msg_a", req: "r1", out: 250, tools: ["Edit"] }),
      line({ id: "msg_a", req: "r1", out: 5, tools: ["Bash"] }),
    ]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ output: 250, input: 10, cacheWrite5m: 60, cacheWrite1h: 40, cacheRead: 1000 });
    expect(Object.values(records[0]!.tools!).sort()).toEqual(["Bash", "Edit", "Read"]);
    expect(records[0]!.costUsd).toBeCloseTo((10 * 3 + 250 * 15 + 60 * 3.75 + 40 * 6 + 1000 * 0.3) / 1e6, 9);
    expect(records[0]!.priceVersion).toBe("2026-12-04.1");
  });

  it("drops a sidechain replay of a main-chain response, in either order, but keeps distinct sidechain responses", () => {
    const main = line({ id: "msg_p", req: "r1", out: 100 });
    const replay = line({ id: "msg_p", req: "r-replay", out: 100, side: true, input: 5000 });
    const own = line({ id: "msg_s", req: "r2", out: 7, side: true });
    for (const order of [[main, replay, own], [replay, own, main]]) {
      const { records } = parse(order);
      expect(records.map((r) => [r.messageId, r.isSidechain, r.output]).sort()).toEqual([["msg_p", false, 100], ["msg_s", true, 7]]);
    }
  });

  it("drops sidechain replays by the main-chain copy kept at their session and instant, whichever comes first, as the store does", () => {
    // The response moves to the larger copy in s1: a sidechain line at s2's instant then replays nothing kept.
    expect(
      parse([
        line({ id: "msg_m", req: "r3", out: 1, session: "s2" }),
        line({ id: "msg_m", req: "r3", out: 4, session: "s1" }),
        line({ id: "msg_m", req: "r1", out: 3, session: "s2", side: true }),
      ]).records.map((r) => [r.sessionId, r.requestId, r.output]),
    ).toEqual([["s1", "r3", 4], ["s2", "r1", 3]]);
    // A main-chain line drops a replay kept before it, even when its own copy loses to an equal one kept earlier.
    expect(
      parse([
        line({ id: "msg_n", req: "r1", out: 4, session: "s1" }),
        line({ id: "msg_n", req: "r2", out: 9, session: "s2", side: true }),
        line({ id: "msg_n", req: "r1", out: 4, session: "s2" }),
      ]).records.map((r) => [r.sessionId, r.requestId, r.output]),
    ).toEqual([["s1", "r1", 4]]);
  });

  it("keeps two sidechain responses of one message at one instant (only a main-chain response is replayed), as the store does", () => {
    const { records } = parse([line({ id: "msg_s", req: "r1", out: 1, side: true }), line({ id: "msg_s", req: "r2", out: 2, side: true })]);
    expect(records.map((r) => r.requestId).sort()).toEqual(["r1", "r2"]);
  });

  it("de-duplicates a response copied into another file and session; the first file keeps it", () => {
    const acc = new TranscriptAccumulator();
    acc.add(Buffer.from(line({ id: "msg_x", req: "r", out: 9, session: "a" }) + "\n"));
    acc.add(Buffer.from(line({ id: "msg_x", req: "r", out: 9, session: "b" }) + "\n" + line({ id: "msg_y", req: "r", out: 1, session: "b" }) + "\n"));
    expect(acc.records().map((r) => `${r.sessionId}:${r.messageId}`).sort()).toEqual(["a:msg_x", "b:msg_y"]);
  });

  it("skips malformed, synthetic and invalid lines without failing", () => {
    const { records, stats } = parse([
      '{"type":"assistant","message":{"usage":{"input_tokens":',
      line({ id: "msg_syn", req: "r", out: 0, model: "<synthetic>" }),
      line({ id: "msg_ok", req: "r", out: 3 }),
      line({ id: "msg_bad", req: "r", out: 3, at: "not a time" }),
      line({ id: "", req: "r", out: 3 }),
      '{"type":"summary","summary":"x"}',
    ]);
    expect(records.map((r) => r.messageId)).toEqual(["msg_ok"]);
    expect(stats).toMatchObject({ lines: 6, usageLines: 5, malformed: 1, synthetic: 1, invalid: 2 });
  });

  it("skips lines with empty ids, also as the first line read", () => {
    for (const bad of [{ session: "" }, { req: "" }, { model: "" }, { id: "" }]) {
      const { records, stats } = parse([line({ id: "msg_e", req: "r", out: 1, ...bad }), line({ id: "msg_ok", req: "r", out: 2 })]);
      expect(records.map((r) => r.messageId), JSON.stringify(bad)).toEqual(["msg_ok"]);
      expect(stats.invalid).toBe(1);
    }
  });

  it("skips lines whose values no store could hold: absurd counts, NUL in ids, instants past year 9999, ids over 200 characters", () => {
    const { records, stats } = parse([
      line({ id: "msg_huge", req: "r", out: 3, input: 1e20 }),
      line({ id: "msg_nul", req: "r", out: 3, session: "s\u0000x" }),
      line({ id: "msg_far", req: "r", out: 3, at: "+275760-09-13T00:00:00.000Z" }),
      line({ id: "msg_long", req: "r", out: 3, session: "s".repeat(201) }),
      line({ id: "msg_fine", req: "r", out: 3 }),
    ]);
    expect(records.map((r) => r.messageId)).toEqual(["msg_fine"]);
    expect(stats).toMatchObject({ usageLines: 5, invalid: 4 });
  });

  it("keys lines without a request id by message and session, and lines without ids by their content", () => {
    const { records } = parse([
      line({ id: "msg_n", out: 1 }),
      line({ id: "msg_n", out: 2, at: "2026-11-20T10:00:01.000Z" }),
      line({ out: 4 }),
      line({ out: 4, at: "2026-11-20T10:00:02.000Z" }),
    ]);
    expect(records.map((r) => r.output).sort()).toEqual([2, 4, 4]);
  });

  it("counts every line, usage line or not, empty or unterminated, read whole or as it grows", () => {
    let seed = 11;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const kinds = [() => line({ id: `msg_${rand(9)}`, req: "r", out: rand(5) }), () => '{"type":"user","message":{"content":"hi"}}', () => "", () => '{"type":"assistant","message":{"usage":{'];
    for (let k = 0; k < 200; k++) {
      const text = Array.from({ length: rand(8) }, () => kinds[rand(kinds.length)]!()).join("\n") + (rand(2) ? "\n" : "");
      const newlines = text.split("\n").length - 1;
      const whole = new TranscriptAccumulator();
      whole.add(Buffer.from(text));
      expect(whole.stats.lines, JSON.stringify(text)).toBe(newlines + (text !== "" && !text.endsWith("\n") ? 1 : 0));
      const growing = new TranscriptAccumulator();
      const used = growing.add(Buffer.from(text), false);
      expect(growing.stats.lines).toBe(newlines);
      expect(used).toBe(text.lastIndexOf("\n") + 1);
    }
  });

  it("reads by byte offset while a file grows, leaving an unfinished line for the next read", () => {
    const text = Buffer.from([line({ id: "msg_1", req: "r", out: 1 }), line({ id: "msg_2", req: "r", out: 2 })].join("\n") + "\n");
    const cut = text.indexOf("\n") + 20;
    const acc = new TranscriptAccumulator();
    const used = acc.add(text.subarray(0, cut), false);
    expect(used).toBe(text.indexOf("\n") + 1);
    expect(acc.add(text.subarray(used), false)).toBe(text.length - used);
    expect(acc.records().map((r) => r.output)).toEqual([1, 2]);
  });

  it("keeps every tool call of a response, whatever its id", () => {
    const l = JSON.parse(line({ id: "msg_t", req: "r", out: 1, tools: ["Read"] }));
    l.message.content.push({ type: "tool_use", id: "__proto__", name: "Bash", input: {} });
    const { records } = parse([JSON.stringify(l), line({ id: "msg_t", req: "r", out: 2, tools: ["Edit"] })]);
    expect(Object.entries(records[0]!.tools!).sort()).toEqual([["__proto__", "Bash"], ["toolu_msg_t_Edit_0", "Edit"], ["toolu_msg_t_Read_0", "Read"]]);
  });

  it("hands over each response once, then says which handed-over rows later lines made stale and what replaces them", () => {
    const acc = new TranscriptAccumulator();
    acc.handOver();
    const add = (lines: string[]) => acc.add(Buffer.from(lines.join("\n") + "\n"));
    const ids = (records: { eventId: string }[]) => records.map((r) => r.eventId).sort();
    const side = line({ id: "msg_b", req: "r-side", out: 7, side: true });
    add([line({ id: "msg_a", req: "r1", out: 5, tools: ["Read"] }), side, line({ id: "msg_c", req: "r3", out: 3 }), line({ id: "msg_d", req: "r4", out: 4 })]);
    expect(acc.unsettled).toBe(4);
    expect(ids(acc.settle())).toEqual(["cc:msg_a:r1", "cc:msg_b:r-side", "cc:msg_c:r3", "cc:msg_d:r4"]);
    add([
      line({ id: "msg_a", req: "r1", out: 50 }), // a larger total: msg_a's row is stale
      line({ id: "msg_c", req: "r3", out: 3, tools: ["Bash"] }), // a tool call msg_c's row lacks
      line({ id: "msg_b", req: "r-main", out: 8 }), // the main-chain response the sidechain line replayed
      line({ id: "msg_d", req: "r4", out: 4 }), // the same again: nothing changes
      line({ id: "msg_e", req: "r5", out: 1 }),
    ]);
    // Only msg_e is new; the changed messages wait for the end.
    expect(ids(acc.settle())).toEqual(["cc:msg_e:r5"]);
    expect(acc.settle()).toEqual([]);
    const { stale, records } = acc.changes();
    expect([...stale].sort()).toEqual(["cc:msg_a:r1", "cc:msg_b:r-side", "cc:msg_c:r3"]);
    expect(records.map((r) => [r.eventId, r.output, Object.values(r.tools ?? {}).sort()]).sort()).toEqual([
      ["cc:msg_a:r1", 50, ["Read"]],
      ["cc:msg_b:r-main", 8, []],
      ["cc:msg_c:r3", 3, ["Bash"]],
    ]);
    // Handing over changes nothing of the accounting.
    expect(acc.records().map((r) => r.eventId).sort()).toEqual([...ids(records), "cc:msg_d:r4", "cc:msg_e:r5"].sort());
  });

  it("reads long lines, whatever their content holds, as a full parse would", () => {
    const big = JSON.parse(line({ id: "msg_big", req: "r", out: 77, tools: ["Read", "Write"] }));
    big.message.content.unshift({ type: "text", text: 'quote " brace } bracket ] ' + "x".repeat(5000) + "\\" });
    big.message.content.push({ type: "tool_use", id: "toolu_z", name: "Grep", input: { content: ["]"] } });
    const { records } = parse([JSON.stringify(big)]);
    expect(records[0]).toMatchObject({ output: 77, messageId: "msg_big" });
    expect(Object.values(records[0]!.tools!).sort()).toEqual(["Grep", "Read", "Write"]);
  });
});
