import { parseArgs } from "node:util";
import { startMessagesServer } from "./server";

// `tsx packages/messages-server/src/cli.ts [--port 8790] [--host 127.0.0.1] [--delta-delay-ms 15] [--quiet]`
// Runs the server with the "[offline]" default responder, for working without an API key.
const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MESSAGES_SERVER_PORT ?? "8790" },
    host: { type: "string", default: "127.0.0.1" },
    "delta-delay-ms": { type: "string", default: "15" },
    quiet: { type: "boolean", default: false },
  },
});

const port = Number(values.port);
const deltaDelayMs = Number(values["delta-delay-ms"]);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  process.exit(2);
}
if (!Number.isFinite(deltaDelayMs) || deltaDelayMs < 0) {
  console.error(`--delta-delay-ms must be a non-negative number, got "${values["delta-delay-ms"]}"`);
  process.exit(2);
}

const server = await startMessagesServer({
  port,
  host: values.host,
  deltaDelayMs,
  log: values.quiet ? undefined : (line) => console.log(`[messages-server] ${line}`),
});
console.log(`messages-server listening on ${server.url} (offline Anthropic Messages API)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
