// Files of a session's workspace: read, write (atomic), list, and watch (SSE).
import {
  errorBody,
  smithFileContent,
  smithFileList,
  smithFileListing,
  smithFileRead,
  smithFileWrite,
  smithFileWritten,
  smithWatchParams,
} from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { callerOf, sseResponse } from "../../shared/server";
import type { SmithConfig } from "../env";
import { listFiles, readFile, writeFile } from "../services/files";
import type { Reporter } from "../services/reporter";
import type { SessionManager } from "../services/session-manager";
import { SseStream } from "../services/sse";
import { watchWorkspace } from "../services/watch";

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 413: errorBody };

export function fileRoutes(app: FastifyInstance, sessions: SessionManager, config: SmithConfig, reporter: Reporter) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const workspaceOf = async (organizationId: string, sessionId: string) => (await sessions.get(organizationId, sessionId)).row.workspacePath;

  api.post("/api/v1/files/read", { schema: { summary: "Read a file of the session's workspace", body: smithFileRead, response: { 200: smithFileContent, ...errors } } }, async (request) => {
    const { session_id, path, encoding } = request.body;
    return readFile(await workspaceOf(callerOf(request).organizationId, session_id), path, encoding ?? "utf8", config.SMITH_FILE_MAX_BYTES);
  });

  api.post("/api/v1/files/write", { schema: { summary: "Write a file atomically (text or base64)", body: smithFileWrite, response: { 200: smithFileWritten, ...errors } } }, async (request) => {
    const { session_id, path, content, encoding, create_dirs } = request.body;
    const organizationId = callerOf(request).organizationId;
    const written = writeFile(await workspaceOf(organizationId, session_id), path, content, encoding ?? "utf8", create_dirs ?? false, config.SMITH_FILE_MAX_BYTES);
    reporter.report(organizationId, [
      { session_id, log_line: `file written: ${written.path} (${written.size} bytes)`, timestamp: new Date().toISOString(), source: "smith.files", attributes: { ...written, via: "api" } },
    ]);
    return written;
  });

  api.post("/api/v1/files/list", { schema: { summary: "List a folder of the session's workspace", body: smithFileList, response: { 200: smithFileListing, ...errors } } }, async (request) => {
    const { session_id, path, recursive } = request.body;
    return listFiles(await workspaceOf(callerOf(request).organizationId, session_id), path ?? ".", recursive ?? false);
  });

  api.get(
    "/api/v1/files/watch/:session_id",
    { schema: { summary: "SSE of `file` events {type: create|change|delete, path, kind} in the workspace (debounced; .git and node_modules ignored)", params: smithWatchParams, response: { 200: sseResponse("`file` events {type, path, kind}"), 404: errorBody } } },
    async (request, reply) => {
      const organizationId = callerOf(request).organizationId;
      const sessionId = request.params.session_id;
      const root = await workspaceOf(organizationId, sessionId);
      const sse = new SseStream(reply);
      const watcher = watchWorkspace(
        root,
        (events) => {
          for (const e of events) sse.send("file", JSON.stringify(e));
          const timestamp = new Date().toISOString();
          reporter.report(
            organizationId,
            events.map((e) => ({ session_id: sessionId, log_line: `file ${e.type}: ${e.path}`, timestamp, source: "smith.files", attributes: { ...e } })),
          );
        },
        () => sse.send("ready", JSON.stringify({ session_id: sessionId })),
      );
      sse.onClose(() => void watcher.close());
    },
  );
}
