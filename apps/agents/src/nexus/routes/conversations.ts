// Conversations: create, send a message (the reply streams back as SSE), read the history.
import {
  conversationCreate,
  conversationList,
  conversationListQuery,
  conversationMessageBody,
  conversationMessageQuery,
  conversationView,
  errorBody,
  executeResponse,
  executionParams,
} from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { HttpError } from "../../shared/errors";
import { callerOf } from "../../shared/server";
import type { NexusDeps } from "../services/deps";
import type { ExecutionRunner } from "../services/runner";
import { streamExecution } from "../services/stream";
import { nexusRequests } from "./requests";

const CONVERSATIONAL = ["claude-conversational"];

export function conversationRoutes(app: FastifyInstance, deps: NexusDeps, runner: ExecutionRunner) {
  nexusRequests(app);
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/api/v1/conversations",
    { schema: { summary: "Start a conversation (every field is optional; the body may be left out)", body: conversationCreate, response: { 201: conversationView, 400: errorBody } } },
    async (request, reply) => {
      const org = callerOf(request).organizationId;
      const { agent_type, title, system } = request.body;
      if (!CONVERSATIONAL.includes(agent_type)) {
        throw new HttpError(400, `Conversations run ${CONVERSATIONAL.join(", ")}, not "${agent_type}"`, [
          { path: "body.agent_type", message: `must be one of ${CONVERSATIONAL.join(", ")}` },
        ]);
      }
      const row = await deps.conversations.create(org, { agentType: agent_type, title, system });
      return reply.status(201).send(await deps.conversations.view(org, row.id));
    },
  );

  api.get(
    "/api/v1/conversations",
    { schema: { summary: "The organization's conversations, newest first (`?limit=`, `?cursor=` from `next_cursor`)", querystring: conversationListQuery, response: { 200: conversationList, 400: errorBody } } },
    async (request) => deps.conversations.list(callerOf(request).organizationId, request.query),
  );

  api.get(
    "/api/v1/conversations/:id",
    { schema: { summary: "The conversation and its history", params: executionParams, response: { 200: conversationView, 400: errorBody, 404: errorBody } } },
    async (request) => deps.conversations.view(callerOf(request).organizationId, request.params.id),
  );

  api.post(
    "/api/v1/conversations/:id/message",
    {
      schema: {
        summary:
          "Send a message; the reply streams back as SSE (X-Execution-Id names the execution), or ?stream=false for {id, stream_url}. One reply at a time: 409 while the previous one is still being written",
        params: executionParams,
        querystring: conversationMessageQuery,
        body: conversationMessageBody,
        response: { 200: executeResponse, 400: errorBody, 404: errorBody, 409: errorBody, 413: errorBody },
      },
    },
    async (request, reply) => {
      const org = callerOf(request).organizationId;
      const conversation = await deps.conversations.get(org, request.params.id);
      const { content, prompt, model, max_tokens } = request.body;
      // Problems with the text name the field it came in (`content`, or `prompt` when that was sent).
      const promptField = content === undefined && prompt !== undefined ? "prompt" : "content";
      const started = await runner.start(
        org,
        { agent_type: conversation.agentType, prompt: content ?? prompt ?? "", conversation_id: conversation.id, model, max_tokens },
        { promptField },
      );
      if (request.query.stream === "false") return started;
      await streamExecution(deps, reply, started.id, 0, { "x-execution-id": started.id });
      return reply;
    },
  );
}
