// Sessions: create, list, get, execute, input, resize, stop, delete.
import {
  errorBody,
  smithAgentEvents,
  smithExecuteBody,
  smithExecuteResult,
  smithExecutionParams,
  smithExecutionWait,
  smithInputBody,
  smithResizeBody,
  smithSession,
  smithSessionCreate,
  smithSessionList,
  smithSessionParams,
} from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { callerOf } from "../../shared/server";
import { sessionBody } from "../store/sessions";
import type { SessionManager } from "../services/session-manager";

const errors = { 400: errorBody, 404: errorBody, 409: errorBody };
const DEFAULT_EXECUTE_TIMEOUT_MS = 30_000;

export function sessionRoutes(app: FastifyInstance, sessions: SessionManager) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const org = (request: Parameters<typeof callerOf>[0]) => callerOf(request).organizationId;

  api.post(
    "/api/v1/sessions/create",
    { schema: { summary: "Start a terminal session (shell, claude_code or a configured agent) in a workspace", body: smithSessionCreate, response: { 201: smithSession, ...errors, 429: errorBody, 503: errorBody } } },
    async (request, reply) => {
      const row = await sessions.create(org(request), request.body);
      return reply.status(201).send(sessionBody(row, 0));
    },
  );

  api.get("/api/v1/sessions", { schema: { summary: "The organization's sessions, newest first", response: { 200: smithSessionList } } }, async (request) => ({
    sessions: await sessions.list(org(request)),
  }));

  api.get("/api/v1/sessions/:id", { schema: { summary: "One session", params: smithSessionParams, response: { 200: smithSession, ...errors } } }, async (request) =>
    sessions.body(org(request), request.params.id),
  );

  api.post(
    "/api/v1/sessions/:id/execute",
    {
      schema: {
        summary: "Run a command in a shell session: its exit code and output, or `running` with the output so far when timeout_ms passes (the command is not killed)",
        params: smithSessionParams,
        body: smithExecuteBody,
        response: { 200: smithExecuteResult, ...errors },
      },
    },
    async (request) => sessions.execute(org(request), request.params.id, request.body.command, request.body.timeout_ms ?? DEFAULT_EXECUTE_TIMEOUT_MS),
  );

  api.get(
    "/api/v1/sessions/:id/executions/:execution_id",
    { schema: { summary: "A command started by execute: wait up to wait_ms for it to finish", params: smithExecutionParams, querystring: smithExecutionWait, response: { 200: smithExecuteResult, ...errors } } },
    async (request) => sessions.execution(org(request), request.params.id, request.params.execution_id, request.query.wait_ms ?? 0),
  );

  api.get(
    "/api/v1/sessions/:id/events",
    { schema: { summary: "A claude_code session's structured events: init, assistant text, tool calls and results, the final result with usage and cost", params: smithSessionParams, response: { 200: smithAgentEvents, ...errors } } },
    async (request) => ({ events: await sessions.agentEvents(org(request), request.params.id) }),
  );

  api.post(
    "/api/v1/sessions/:id/input",
    { schema: { summary: "Type into the terminal", params: smithSessionParams, body: smithInputBody, response: { 200: z.object({ bytes: z.number().int() }), ...errors } } },
    async (request) => {
      const data = Buffer.from(request.body.data, request.body.encoding === "base64" ? "base64" : "utf8");
      await sessions.input(org(request), request.params.id, data);
      return { bytes: data.length };
    },
  );

  api.post(
    "/api/v1/sessions/:id/resize",
    { schema: { summary: "Resize the terminal", params: smithSessionParams, body: smithResizeBody, response: { 200: smithSession, ...errors } } },
    async (request) => {
      await sessions.resize(org(request), request.params.id, request.body);
      return sessions.body(org(request), request.params.id);
    },
  );

  api.post("/api/v1/sessions/:id/stop", { schema: { summary: "Interrupt (Ctrl-C) the foreground program", params: smithSessionParams, response: { 200: smithSession, ...errors } } }, async (request) =>
    sessions.stop(org(request), request.params.id),
  );

  api.delete(
    "/api/v1/sessions/:id",
    { schema: { summary: "End the session's whole process tree (SIGINT, SIGTERM, SIGKILL); its output stays readable", params: smithSessionParams, response: { 200: smithSession, ...errors } } },
    async (request) => sessions.remove(org(request), request.params.id),
  );
}
