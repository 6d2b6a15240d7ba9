// Conversations with a claude_code session: follow-up messages, permission approvals, ending it.
import { errorBody, smithApprovalDecision, smithApprovalParams, smithApprovals, smithConversationState, smithMessageBody, smithSessionParams } from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { callerOf } from "../../shared/server";
import type { Conversations } from "../services/conversations";

const errors = { 400: errorBody, 404: errorBody, 409: errorBody };

export function conversationRoutes(app: FastifyInstance, conversations: Conversations) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const org = (request: Parameters<typeof callerOf>[0]) => callerOf(request).organizationId;

  api.post(
    "/api/v1/sessions/:id/messages",
    {
      schema: {
        summary: "Send a follow-up message to a conversation; the agent takes it when its current turn ends",
        params: smithSessionParams,
        body: smithMessageBody,
        response: { 202: smithConversationState, ...errors },
      },
    },
    async (request, reply) => reply.status(202).send(await conversations.message(org(request), request.params.id, request.body.text)),
  );

  api.get(
    "/api/v1/sessions/:id/approvals",
    { schema: { summary: "The agent's permission requests, each with its decision (null while it waits)", params: smithSessionParams, response: { 200: smithApprovals, ...errors } } },
    async (request) => ({ approvals: await conversations.approvals(org(request), request.params.id) }),
  );

  api.post(
    "/api/v1/sessions/:id/approvals/:request_id",
    {
      schema: {
        summary: "Allow or deny a tool use the agent waits for",
        params: smithApprovalParams,
        body: smithApprovalDecision,
        response: { 200: smithConversationState, ...errors },
      },
    },
    async (request) => conversations.decide(org(request), request.params.id, request.params.request_id, request.body),
  );

  api.post(
    "/api/v1/sessions/:id/end",
    {
      schema: {
        summary: "End a conversation: the agent finishes what it was given and exits; the session ends with its result",
        params: smithSessionParams,
        response: { 202: smithConversationState, ...errors },
      },
    },
    async (request, reply) => reply.status(202).send(await conversations.end(org(request), request.params.id)),
  );
}
