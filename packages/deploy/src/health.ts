// Polls the app's /health from the server itself (it listens on 127.0.0.1 only), in one remote
// `node` run so the poll interval does not pay an SSH round trip, and stops early if the app died.
import { z } from "zod";
import { DeployError } from "./errors";
import { quote } from "./remote-shell";
import type { SshSession } from "./ssh-session";

const POLL = `
const http = require("http");
const [pid, port, timeoutMs] = process.argv.slice(1).map(Number);
const started = Date.now();
const fs = require("fs");
// Like alive() in app-process.ts: a zombie counts as dead.
const alive = () => {
  try { process.kill(pid, 0); } catch (e) { if (e.code !== "EPERM") return false; }
  try { return fs.readFileSync("/proc/" + pid + "/stat", "utf8").replace(/.*\\) /s, "")[0] !== "Z"; } catch { return true; }
};
const report = (r) => { console.log(JSON.stringify({ ...r, ms: Date.now() - started })); process.exit(0); };
const probe = () => new Promise((resolve) => {
  const req = http.get({ host: "127.0.0.1", port, path: "/health", timeout: 2000 }, (res) => {
    let body = "";
    res.setEncoding("utf8");
    res.on("data", (d) => { if (body.length < 2000) body += d; });
    res.on("end", () => resolve({ code: res.statusCode, body }));
  });
  req.on("timeout", () => req.destroy(new Error("no answer within 2 s")));
  req.on("error", (e) => resolve({ error: e.code || e.message }));
});
(async () => {
  let last = "no answer yet";
  for (;;) {
    const r = await probe();
    if (r.code === 200) {
      try { if (JSON.parse(r.body).status === "healthy") return report({ ok: true }); } catch {}
      last = "answered 200 without status healthy: " + r.body.slice(0, 200);
    } else last = r.error ? "connection failed (" + r.error + ")" : "answered HTTP " + r.code;
    if (!alive()) return report({ ok: false, reason: "exited", last });
    if (Date.now() - started > timeoutMs) return report({ ok: false, reason: "timeout", last });
    await new Promise((s) => setTimeout(s, 250));
  }
})();
`;

const pollResult = z.union([
  z.object({ ok: z.literal(true), ms: z.number() }),
  z.object({ ok: z.literal(false), reason: z.enum(["exited", "timeout"]), last: z.string(), ms: z.number() }),
]);
export type HealthOutcome = z.infer<typeof pollResult>;

export async function waitHealthy(
  session: SshSession,
  opts: { pid: number; port: number; timeoutMs: number; nodePath: string },
): Promise<HealthOutcome> {
  const out = await session.run(
    `${quote(opts.nodePath)} -e ${quote(POLL)} ${opts.pid} ${opts.port} ${opts.timeoutMs}`,
    {
      label: "The health check",
      timeoutMs: opts.timeoutMs + 15_000,
    },
  );
  let last: unknown = null;
  try {
    last = JSON.parse(out.trim().split("\n").pop() ?? "null");
  } catch {
    // reported below
  }
  const parsed = pollResult.safeParse(last);
  if (!parsed.success)
    throw new DeployError(`The health check printed something unexpected: ${out.slice(0, 200)}`, "health");
  return parsed.data;
}
