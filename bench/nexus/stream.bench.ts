// Time to first token and total time of a streamed reply against the local Messages server:
// (a) the Anthropic SDK called directly, (b) through Nexus (POST /agents/execute, then its SSE
// stream). Then 200 concurrent streamed executions through Nexus: errors, lost tokens, p50/p99.
import Anthropic from "@anthropic-ai/sdk";
import { benchDatabase, KEY, startMessagesProcess, startNexusProcess } from "./setup";

const SEQUENTIAL = Number(process.env.BENCH_RUNS ?? 60);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 200);
const DELTA_DELAY_MS = Number(process.env.BENCH_DELTA_DELAY_MS ?? 1);
const MODEL = "claude-sonnet-4-6";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (n: number) => n.toFixed(1).padStart(7);

async function sdkOnce(client: Anthropic, prompt: string) {
  const t0 = performance.now();
  let ttft = 0;
  let text = "";
  const stream = client.messages.stream({ model: MODEL, max_tokens: 1024, messages: [{ role: "user", content: prompt }] });
  stream.on("text", (t) => {
    if (!ttft) ttft = performance.now() - t0;
    text += t;
  });
  await stream.finalMessage();
  return { ttft, total: performance.now() - t0, text };
}

/** `oneCall`: POST execute with Accept: text/event-stream; otherwise POST execute, then GET stream_url. */
async function nexusOnce(base: string, prompt: string, oneCall = false) {
  const t0 = performance.now();
  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...(oneCall ? { accept: "text/event-stream" } : {}) };
  const res = await fetch(`${base}/api/v1/agents/execute`, { method: "POST", headers, body: JSON.stringify({ agent_type: "claude-conversational", prompt }) });
  if (!res.ok) throw new Error(`execute answered ${res.status}: ${await res.text()}`);
  let sse = res;
  if (!oneCall) {
    const { stream_url } = (await res.json()) as { stream_url: string };
    sse = await fetch(`${base}${stream_url}`, { headers: { authorization: `Bearer ${KEY}` } });
  }
  if (!sse.ok || !sse.body) throw new Error(`stream answered ${sse.status}`);
  let ttft = 0;
  let text = "";
  let status = "";
  let buffer = "";
  let lastId = 0;
  const decoder = new TextDecoder();
  for await (const chunk of sse.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) !== -1) {
      const raw = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const id = Number(/^id: (\d+)/m.exec(raw)?.[1] ?? 0);
      if (id && id !== lastId + 1) throw new Error(`event ${id} after ${lastId}: a gap or repeat`);
      lastId = id || lastId;
      const event = /^event: (.*)$/m.exec(raw)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(raw)?.[1] ?? "null") as { text?: string; status?: string };
      if (event === "token") {
        if (!ttft) ttft = performance.now() - t0;
        text += data.text;
      } else if (event === "done") status = data.status ?? "";
    }
  }
  return { ttft, total: performance.now() - t0, text, status };
}

const db = await benchDatabase("kayos_bench_nexus");
const messages = await startMessagesProcess(DELTA_DELAY_MS);
const nexus = await startNexusProcess(db.url, messages.url, db.dataDir);
try {
  const client = new Anthropic({ apiKey: "offline", baseURL: messages.url });
  const prompt = (i: number) => `Benchmark prompt number ${i}: tell me something.`;
  const expected = (await sdkOnce(client, prompt(0))).text;

  for (let i = 0; i < 10; i++) {
    await sdkOnce(client, prompt(i));
    await nexusOnce(nexus.base, prompt(i));
  }
  const direct: { ttft: number; total: number }[] = [];
  const via: { ttft: number; total: number }[] = [];
  const viaOne: { ttft: number; total: number }[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    direct.push(await sdkOnce(client, prompt(0)));
    for (const [list, oneCall] of [[via, false], [viaOne, true]] as const) {
      const r = await nexusOnce(nexus.base, prompt(0), oneCall);
      if (r.text !== expected || r.status !== "succeeded") throw new Error(`sequential run ${i}: ${r.status}, text ${r.text === expected ? "ok" : "differs"}`);
      list.push(r);
    }
  }

  const t0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: CONCURRENT }, () => nexusOnce(nexus.base, prompt(0))));
  const wall = performance.now() - t0;
  const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof nexusOnce>>> => r.status === "fulfilled");
  const errors = results.length - ok.length;
  const lost = ok.filter((r) => r.value.text !== expected || r.value.status !== "succeeded").length;

  const row = (name: string, xs: { ttft: number; total: number }[]) =>
    `| ${name.padEnd(32)} | ${fmt(pct(xs.map((x) => x.ttft), 50))} | ${fmt(pct(xs.map((x) => x.ttft), 99))} | ${fmt(pct(xs.map((x) => x.total), 50))} | ${fmt(pct(xs.map((x) => x.total), 99))} |`;
  console.log(`\nStreamed reply of ${expected.length} characters, local Messages server (delta delay ${DELTA_DELAY_MS} ms), ms:\n`);
  console.log(`| path                             | ttft p50 | ttft p99 | total p50 | total p99 |`);
  console.log(`|----------------------------------|---------|---------|---------|---------|`);
  console.log(row(`(a) SDK directly, ${SEQUENTIAL} runs`, direct));
  console.log(row(`(b) Nexus execute + GET stream`, via));
  console.log(row(`(b') Nexus execute as SSE`, viaOne));
  console.log(row(`(c) Nexus, ${CONCURRENT} concurrent`, ok.map((r) => r.value)));
  const base = pct(direct.map((x) => x.ttft), 50);
  const added = pct(via.map((x) => x.ttft), 50) - base;
  const addedOne = pct(viaOne.map((x) => x.ttft), 50) - base;
  const verdict = (ms: number) => `${ms.toFixed(1)} ms (target <= 5 ms: ${ms <= 5 ? "met" : "NOT met"})`;
  console.log(`\nNexus adds to the first token, p50: execute + GET stream ${verdict(added)}; execute as SSE ${verdict(addedOne)}.`);
  console.log(`${CONCURRENT} concurrent executions: ${errors} errors, ${lost} with lost or wrong tokens, wall ${wall.toFixed(0)} ms (target: 0 and 0: ${errors === 0 && lost === 0 ? "met" : "NOT met"}).`);
  if (errors > 0) console.log(`first error: ${(results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason}`);
} finally {
  nexus.child.kill("SIGTERM");
  messages.child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  await db.stop();
}
