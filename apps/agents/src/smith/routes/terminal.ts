// The browser terminal: WebSocket at /api/v1/sessions/:id/terminal[?offset=N].
// Server -> client: binary frames = 8-byte big-endian offset + output bytes; text frames = JSON
// {type: "hello" | "exit" | "error"}. Client -> server: binary frames = input bytes; text frames =
// JSON {type: "input", data} | {type: "resize", cols, rows} | {type: "ping"}.
// Authentication (services/terminal-auth.ts): `?token=` minted by the control plane for this session
// (browsers), or the API key in a header (CLIs); never an API key in the URL.
import { smithTerminalClientMessage, smithStreamQuery } from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { errorBody, HttpError } from "../../shared/errors";
import { LogReader } from "../services/log-reader";
import type { SessionManager } from "../services/session-manager";
import { terminalOrganization, type TerminalAuth } from "../services/terminal-auth";

const PATH = /^\/api\/v1\/sessions\/([^/?#]+)\/terminal$/;
const IN_FLIGHT_MAX = 1024 * 1024;

function refuse(socket: Duplex, status: number, message: string) {
  const body = errorBody(status, message, crypto.randomUUID());
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${body.error}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
}

function sessionId(encoded: string) {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new HttpError(400, "The session id in the path is not valid percent-encoding");
  }
}

export function terminalRoute(app: FastifyInstance, sessions: SessionManager, auth: TerminalAuth) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  // Before the HTTP server waits for its connections: upgraded sockets are not among them.
  app.addHook("preClose", async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  app.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://smith");
    const match = PATH.exec(url.pathname);
    if (!match) return refuse(socket, 404, `No WebSocket route ${url.pathname}`);
    void (async () => {
      const id = sessionId(match[1]!);
      const organizationId = await terminalOrganization(auth, url.searchParams, req.headers, id);
      const query = smithStreamQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) throw new HttpError(400, `Invalid query: ${query.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
      const { row, log } = await sessions.openLog(organizationId, id);
      const offset = query.data.offset ?? 0;
      if (offset > log.size) {
        log.release();
        throw new HttpError(400, `offset ${offset} is beyond the session's output (${log.size} bytes so far)`);
      }
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, sessions, organizationId, id, log, offset, row));
    })().catch((error: unknown) => {
      if (error instanceof HttpError) return refuse(socket, error.statusCode, error.message);
      // Never req.url: its query may carry a terminal token.
      app.log.error({ err: error, path: url.pathname }, "terminal upgrade failed");
      refuse(socket, 500, "Internal error");
    });
  });
}

function serve(
  ws: WebSocket,
  sessions: SessionManager,
  organizationId: string,
  id: string,
  log: Awaited<ReturnType<SessionManager["openLog"]>>["log"],
  offset: number,
  row: Awaited<ReturnType<SessionManager["openLog"]>>["row"],
) {
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const json = (value: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(value));
  json({ type: "hello", session_id: id, offset, output_bytes: log.size, status: row.status, cols: row.cols, rows: row.rows });
  const reader = new LogReader(
    log,
    offset,
    {
      ready: () => ws.readyState === ws.OPEN && inFlight < IN_FLIGHT_MAX,
      onReady: (cb) => (drained = cb),
      send: (frame, at) => {
        frame.writeBigUInt64BE(BigInt(at));
        inFlight += frame.length;
        ws.send(frame, { binary: true }, () => {
          inFlight -= frame.length;
          if (drained && inFlight < IN_FLIGHT_MAX / 2) {
            const cb = drained;
            drained = undefined;
            cb();
          }
        });
      },
      finish: () => {
        void sessions
          .body(organizationId, id)
          .then((s) => json({ type: "exit", status: s.status, exit_code: s.exit_code, output_bytes: log.size }))
          .catch(() => undefined)
          .finally(() => ws.close(1000, "session ended"));
      },
    },
    { headroom: 8 },
  );
  let released = false;
  ws.on("close", () => {
    reader.close();
    if (!released) log.release();
    released = true;
  });
  ws.on("message", (data: RawData, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    void handle(bytes, isBinary).catch((error: unknown) =>
      json({ type: "error", status: error instanceof HttpError ? error.statusCode : 500, message: error instanceof HttpError ? error.message : "Internal error" }),
    );
  });
  const handle = async (bytes: Buffer, isBinary: boolean) => {
    if (isBinary) return sessions.input(organizationId, id, bytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString("utf8"));
    } catch {
      throw new HttpError(400, "Text frames must be JSON: {type: input|resize|ping}");
    }
    const message = smithTerminalClientMessage.safeParse(parsed);
    if (!message.success) throw new HttpError(400, `Invalid message: ${message.error.issues.map((i) => `${i.path.join(".") || "message"} ${i.message}`).join("; ")}`);
    const m = message.data;
    if (m.type === "input") return sessions.input(organizationId, id, Buffer.from(m.data));
    if (m.type === "resize") return sessions.resize(organizationId, id, { cols: m.cols, rows: m.rows });
    json({ type: "pong" });
  };
}
