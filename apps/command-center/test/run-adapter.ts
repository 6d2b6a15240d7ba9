// Runs one adapter directly, collecting its events (bounded by a timeout).
import type { Adapter, AdapterEvent, RunEnvironment } from "../src/adapters/adapter";
import { adapters, type AdapterName } from "../src/adapters/index";

export async function runAdapter(name: AdapterName, config: Record<string, unknown>, input: string, env: Partial<RunEnvironment> = {}, timeoutMs = 15_000) {
  const adapter: Adapter = adapters[name];
  const events: AdapterEvent[] = [];
  const signal = AbortSignal.timeout(timeoutMs);
  let error: Error | undefined;
  try {
    for await (const e of adapter.run({
      agent: { id: "a", name: "A", type: name, config: adapter.config.parse(config) },
      input,
      runId: "run_test",
      user: { tenant: "acme" },
      env: { agentSecrets: {}, ...env },
      signal,
    })) {
      events.push(e);
    }
  } catch (e) {
    error = e as Error;
  }
  const text = events.flatMap((e) => (e.type === "delta" ? [e.text] : [])).join("");
  const done = events.find((e): e is Extract<AdapterEvent, { type: "done" }> => e.type === "done");
  return { events, text, output: done?.output, error };
}
