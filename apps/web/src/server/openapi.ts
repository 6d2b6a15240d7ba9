import "server-only";
import { createConversationInput } from "@kayos/api/routers/conversations/schema";
import { answerInput, executeInput } from "@kayos/api/routers/runs/schema";
import { z } from "zod";
import { conversationMessageBody, loginBody } from "./rest-bodies";
import { sshServerBody, sshServerPatch } from "./ssh-servers-rest";

// The seed's REST surface, described from the very zod schemas the routes validate with.
const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
const json = (s: z.ZodType) => ({ required: true, content: { "application/json": { schema: schema(s) } } });
const error = { description: "`{error, message, issues?}`: what was wrong and what to do" };
const ok = (description: string) => ({ description, content: { "application/json": {} } });
const sse = { description: "Server-sent events; reconnect with `Last-Event-ID` to resume without loss", content: { "text/event-stream": {} } };
const id = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];
const authed = (op: Record<string, unknown>) => ({ security: [{ bearer: [] }], ...op, responses: { ...(op.responses as object), 400: error, 401: error, 403: error, 404: error } });

export function openApiDocument(version: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "KayOS control plane",
      version,
      description: "The seed's REST surface on the same procedures as the dashboard. Authenticate with `Authorization: Bearer <token>` from `POST /api/v1/auth/login` or an API token.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths: {
      "/api/v1/health": { get: { summary: "Liveness of the control plane", responses: { 200: ok("healthy") } } },
      "/api/v1/auth/login": { post: { summary: "Email and password for a bearer token", requestBody: json(loginBody), responses: { 200: ok("`{token, token_type, expires_in, user}`"), 400: error, 401: error } } },
      "/api/v1/agents": { get: authed({ summary: "The organization's agents", responses: { 200: ok("agents") } }) },
      "/api/v1/agents/execute": { post: authed({ summary: "Run a saved agent or an ad-hoc agent type (Nexus or Smith by type)", requestBody: json(executeInput), responses: { 201: ok("the run, with `run_url` to poll and `stream_url` (SSE, bearer or session cookie)") } }) },
      "/api/v1/runs/{id}": { get: authed({ summary: "A run: status, result or error", parameters: id, responses: { 200: ok("run; `server` is the server it was started on (`{id, name}`, null once that server is deleted); `waitingFor` is the question a planner or graph run waits on a person for, else null, and `waitingSince` since when"), 404: error } }) },
      "/api/v1/runs/{id}/answer": {
        post: authed({ summary: "Answers the question the run waits on (`{answer}`, 1–20,000 characters); 409 when the run already ended", parameters: id, requestBody: json(answerInput.omit({ id: true })), responses: { 200: ok("`{id, answered: true}`"), 409: error } }),
      },
      "/api/v1/agents/{id}": {
        get: authed({ summary: "One agent with its versions", parameters: id, responses: { 200: ok("agent") } }),
        delete: authed({ summary: "Remove an agent", parameters: id, responses: { 204: { description: "removed" } } }),
      },
      "/api/v1/coding_conversations": {
        get: authed({ summary: "The organization's conversations, newest first", responses: { 200: ok("conversations") } }),
        post: authed({ summary: "Start a conversation with a chat-capable agent (or Claude)", requestBody: json(createConversationInput), responses: { 201: ok("conversation") } }),
      },
      "/api/v1/coding_conversations/{id}": { get: authed({ summary: "A conversation and its messages", parameters: id, responses: { 200: ok("conversation") } }) },
      "/api/v1/coding_conversations/{id}/messages": {
        post: authed({ summary: "Post a message; the reply starts at once and streams from `/stream`", parameters: id, requestBody: json(conversationMessageBody), responses: { 201: ok("`{message, reply, runId, stream_url}`"), 409: error } }),
      },
      "/api/v1/coding_conversations/{id}/stream": { get: authed({ summary: "The latest reply, streamed", parameters: id, responses: { 200: sse } }) },
      "/api/v1/ssh_servers": {
        get: authed({ summary: "Customer servers (API keys never shown)", responses: { 200: ok("servers") } }),
        post: authed({ summary: "Add a customer server", requestBody: json(sshServerBody), responses: { 201: ok("server") } }),
      },
      "/api/v1/ssh_servers/{id}": {
        patch: authed({ summary: "Change a customer server (an `ssh` change without `private_key` keeps the stored key and trusts the host key shown next)", parameters: id, requestBody: json(sshServerPatch), responses: { 200: ok("server") } }),
        delete: authed({ summary: "Remove a customer server; runs still going on it are stopped there first (each call bounded by the service timeout)", parameters: id, responses: { 200: ok("`{id}`") } }),
      },
      "/api/v1/analytics/session/{id}": { get: authed({ summary: "Tokens, cost, files and duration of a run or session", parameters: id, responses: { 200: ok("metrics") } }) },
    },
  };
}
