import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { offlineResponder, type Responder } from "./default-responder";
import { type RecordedRequest } from "./recorded-request";
import { route, type ServerState } from "./routes";
import { Script } from "./script";

export interface MessagesServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** When set, requests must carry it (`x-api-key` or `Authorization: Bearer`); otherwise any key passes. */
  apiKey?: string;
  /** Bodies above this answer 413 `request_too_large` (default 32 MB, the API's limit). */
  maxBodyBytes?: number;
  /** Streaming defaults, overridable per reply: characters per delta and the pause before each. */
  chunkChars?: number;
  deltaDelayMs?: number;
  /** Requests kept for inspection, oldest dropped first (default: 10,000). */
  maxRecorded?: number;
  /** Answers requests the script has no reply for (default: the "[offline]" responder). */
  responder?: Responder;
  /** One line per answered request and any internal fault (default: silent). */
  log?: (line: string) => void;
}

export interface MessagesServer {
  /** Base URL for the SDK's `baseURL` or `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  script: Script;
  requests: RecordedRequest[];
  /** Stops listening and cuts open connections (hanging replies included). */
  close(): Promise<void>;
}

export async function startMessagesServer(options: MessagesServerOptions = {}): Promise<MessagesServer> {
  const state: ServerState = {
    script: new Script(),
    requests: [],
    responder: options.responder ?? offlineResponder,
    pacing: { chunkChars: options.chunkChars ?? 12, deltaDelayMs: options.deltaDelayMs ?? 0 },
    apiKey: options.apiKey,
    maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    maxRecorded: options.maxRecorded ?? 10_000,
    log: options.log ?? (() => {}),
  };
  const server = createServer((req, res) => void route(state, req, res));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    script: state.script,
    requests: state.requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
