// A tiny stand-in for a Command Center release, for the tests: a plain node:http server that reads
// its config and secrets the way the real app does and fails the same way on a broken config.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SERVER = `import http from "node:http";
import { readFileSync } from "node:fs";
const here = new URL(".", import.meta.url);
const config = JSON.parse(readFileSync(new URL("config/agents.json", here), "utf8"));
const secrets = JSON.parse(readFileSync(new URL("../../shared/secrets.json", here), "utf8"));
if (config.broken) {
  console.error("Config problems:\\n- agents[0].id: is required");
  if (config.leakSecret) console.error("- sessionSecret " + secrets.sessionSecret + " is too short");
  process.exit(1);
}
const server = http.createServer((req, res) => {
  if (req.url !== "/health") return res.writeHead(404).end();
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ status: "healthy", version: config.version, pid: process.pid }));
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening on " + process.env.PORT));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

/** Writes the release folder and returns its path. */
export function makeFakeRelease(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kayos-fake-release-"));
  writeFileSync(path.join(dir, "server.mjs"), SERVER);
  writeFileSync(
    path.join(dir, "release.json"),
    JSON.stringify({ name: "fake-command-center", builtAt: new Date().toISOString() }),
  );
  mkdirSync(path.join(dir, "public", "assets"), { recursive: true });
  writeFileSync(path.join(dir, "public", "index.html"), "<!doctype html><title>Command Center</title>");
  writeFileSync(path.join(dir, "public", "assets", "app.js"), "console.log('app');\n".repeat(200));
  return dir;
}
