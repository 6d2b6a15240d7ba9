// The seed's agent surface: execute, get, status, stream, stop; plus answer (human in the loop) and
// the list of agent types.
import {
  agentTypesView,
  answerBody,
  errorBody,
  executeBody,
  executeResponse,
  executionParams,
  executionStatusView,
  executionView,
  streamQuery,
} from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { callerOf, sseResponse } from "../../shared/server";
import { agentTypes } from "../agent-types";
import { nodeTypeNames } from "../graph/registry";
import type { NexusDeps } from "../services/deps";
import type { ExecutionRunner } from "../services/runner";
import { lastEventIdOf, streamExecution } from "../services/stream";
import { nexusRequests } from "./requests";

const errors = { 400: errorBody, 404: errorBody, 409: errorBody, 413: errorBody };
const STREAM_EVENTS = "status, token, plan, graph, step, waiting, result, error and done (last) events, data JSON, id = sequence number";

export function agentRoutes(app: FastifyInstance, deps: NexusDeps, runner: ExecutionRunner) {
  nexusRequests(app);
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/api/v1/agents/execute",
    {
      schema: {
        summary: "Start an agent execution; follow it at stream_url (SSE), or send Accept: text/event-stream to get the stream right away",
        body: executeBody,
        response: { 200: sseResponse(STREAM_EVENTS, executeResponse), ...errors },
      },
    },
    async (request, reply) => {
      const started = await runner.start(callerOf(request).organizationId, request.body);
      if (!request.headers.accept?.includes("text/event-stream")) return started;
      // One round trip instead of two: the stream of the execution just started (X-Execution-Id names it).
      await streamExecution(deps, reply, started.id, 0, { "x-execution-id": started.id });
      return reply;
    },
  );

  api.get(
    "/api/v1/agent-types",
    { schema: { summary: "Agent types and graph node types this Nexus runs", response: { 200: agentTypesView } } },
    async () => ({
      agent_types: agentTypes().map((t) => ({ name: t.name, description: t.description, requires_prompt: t.requiresPrompt })),
      node_types: nodeTypeNames(),
    }),
  );

  api.get(
    "/api/v1/agents/status/:id",
    { schema: { summary: "The seed's short status", params: executionParams, response: { 200: executionStatusView, 400: errorBody, 404: errorBody } } },
    async (request) => {
      const v = await runner.view(callerOf(request).organizationId, request.params.id);
      return {
        id: v.id,
        execution_id: v.id,
        status: v.status,
        error: v.error,
        waiting_for: v.waiting_for,
        created_at: v.timings.created_at,
        finished_at: v.timings.finished_at,
      };
    },
  );

  api.get(
    "/api/v1/agents/:id",
    { schema: { summary: "Status, result, usage and timings", params: executionParams, response: { 200: executionView, 400: errorBody, 404: errorBody } } },
    async (request) => runner.view(callerOf(request).organizationId, request.params.id),
  );

  api.get(
    "/api/v1/agents/:id/stream",
    {
      schema: {
        summary: "SSE: status, token, plan, graph, step, waiting, result, error and done (last) events; id = sequence number, resume with Last-Event-ID",
        params: executionParams,
        querystring: streamQuery,
        response: { 200: sseResponse(STREAM_EVENTS), 400: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const organizationId = callerOf(request).organizationId;
      const id = request.params.id;
      const after = lastEventIdOf(request, request.query.last_event_id);
      // A run of this process answers from memory; others are looked up (404 for unknown ids).
      if (deps.hub.get(id)?.organizationId !== organizationId) await deps.executions.get(organizationId, id);
      await streamExecution(deps, reply, id, after);
    },
  );

  api.post(
    "/api/v1/agents/:id/stop",
    {
      schema: {
        summary: "Cancel the model call and the graph; status becomes stopped (409 when already finished)",
        params: executionParams,
        response: { 200: executionView, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => runner.stop(callerOf(request).organizationId, request.params.id),
  );

  api.post(
    "/api/v1/agents/:id/answer",
    {
      schema: {
        summary: "Answer the question of a graph waiting for a human (see waiting_for); the run continues",
        params: executionParams,
        body: answerBody,
        response: { 200: executionView, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => runner.answer(callerOf(request).organizationId, request.params.id, request.body.answer),
  );
}
