// The transcript rules exist twice: in memory (claude-transcript.ts, within one import's batch) and in
// SQL (store/usage.ts, against what is stored). On random small transcripts full of copies — request
// ids, sessions, instants, sidechains, fast mode, tool calls — parsing them at once must equal storing
// them line by line. (Cut into batches, a few cases still differ: see the Observer README.)
import { describe, expect, it } from "vitest";
import { storeTestPool } from "../store/test-pool";
import { upsertUsage } from "../store/usage";
import { parseTranscript } from "./claude-transcript";
import type { UsageRecord } from "./usage-record";

const pool = storeTestPool();

/** A seeded generator: a failure names its seed and reproduces. */
function transcript(seed: number): string[] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
  return Array.from({ length: 2 + Math.floor(rnd() * 5) }, () =>
    JSON.stringify({
      type: "assistant",
      isSidechain: rnd() < 0.4,
      sessionId: pick(["s1", "s2"]),
      timestamp: pick(["2026-11-20T10:00:00.000Z", "2026-11-20T10:00:01.000Z"]),
      ...(rnd() < 0.8 ? { requestId: pick(["r1", "r2", "r3"]) } : {}),
      message: {
        ...(rnd() < 0.95 ? { id: pick(["msg_a", "msg_b", "x1"]) } : {}),
        model: "claude-opus-4-6",
        content: rnd() < 0.5 ? [{ type: "tool_use", id: pick(["t1", "t2"]), name: pick(["Read", "Edit"]), input: {} }] : [{ type: "text", text: "hi" }],
        usage: { input_tokens: Math.floor(rnd() * 5), output_tokens: Math.floor(rnd() * 5), cache_read_input_tokens: pick([0, 10]), ...(rnd() < 0.1 ? { speed: "fast" } : {}) },
      },
    }),
  );
}

const parse = (lines: string[]) => parseTranscript(Buffer.from(lines.map((l) => l + "\n").join(""))).records;
const shape = (r: Pick<UsageRecord, "eventId" | "sessionId" | "input" | "output" | "cacheRead" | "isSidechain" | "fast" | "tools">) =>
  JSON.stringify([r.eventId, r.sessionId, r.input, r.output, r.cacheRead, r.isSidechain, r.fast, r.tools ? Object.entries(r.tools).sort() : null]);

async function stored(org: string) {
  const { rows } = await pool().query(
    `SELECT event_id, session_id, input_tokens, output_tokens, cache_read_tokens, is_sidechain, fast, tool_calls FROM usage_events WHERE organization_id = $1`,
    [org],
  );
  return rows
    .map((r: { event_id: string; session_id: string; input_tokens: number; output_tokens: number; cache_read_tokens: number; is_sidechain: boolean; fast: boolean; tool_calls: Record<string, string> | null }) =>
      shape({ eventId: r.event_id, sessionId: r.session_id, input: Number(r.input_tokens), output: Number(r.output_tokens), cacheRead: Number(r.cache_read_tokens), isSidechain: r.is_sidechain, fast: r.fast, tools: r.tool_calls }),
    )
    .sort();
}

describe("Claude Code transcript rules, in memory and in the store", () => {
  it("give the same responses whether a transcript is parsed at once or stored line by line", async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const lines = transcript(seed);
      for (const line of lines) await upsertUsage(pool(), `org_${seed}`, parse([line]));
      expect(await stored(`org_${seed}`), `seed ${seed}`).toEqual(parse(lines).map(shape).sort());
    }
  });
});
