// Stored KayGraph definitions: create, list, get, validate and run (as a `kaygraph` execution).
import {
  errorBody,
  executeResponse,
  executionParams,
  graphCreate,
  graphList,
  graphRunBody,
  graphValidateBody,
  graphValidation,
  graphView,
} from "@kayos/contracts";
import type { Prisma } from "@kayos/db/agents";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { callerOf } from "../../shared/server";
import { assertValidDefinition, definitionIssues } from "../graph/validate";
import type { NexusDeps } from "../services/deps";
import type { ExecutionRunner } from "../services/runner";
import { graphViewOf } from "../store/graphs";
import { nexusRequests } from "./requests";

export function graphRoutes(app: FastifyInstance, deps: NexusDeps, runner: ExecutionRunner) {
  nexusRequests(app);
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/api/v1/graphs",
    { schema: { summary: "Store a definition (400 lists every problem); a name saved again gets the next version", body: graphCreate, response: { 201: graphView, 400: errorBody } } },
    async (request, reply) => {
      const { name, description, definition } = request.body;
      assertValidDefinition(definition);
      const row = await deps.graphs.create(callerOf(request).organizationId, name, description, definition as unknown as Prisma.InputJsonValue);
      return reply.status(201).send(graphViewOf(row));
    },
  );

  api.get("/api/v1/graphs", { schema: { summary: "Stored definitions, newest version first", response: { 200: graphList } } }, async (request) => ({
    graphs: (await deps.graphs.list(callerOf(request).organizationId)).map((row) => {
      const { definition: _d, ...rest } = graphViewOf(row);
      return rest;
    }),
  }));

  api.get(
    "/api/v1/graphs/:id",
    { schema: { summary: "One stored definition", params: executionParams, response: { 200: graphView, 400: errorBody, 404: errorBody } } },
    async (request) => graphViewOf(await deps.graphs.get(callerOf(request).organizationId, request.params.id)),
  );

  api.post(
    "/api/v1/graphs/validate",
    { schema: { summary: "Check a definition against the node types without storing it", body: graphValidateBody, response: { 200: graphValidation, 400: errorBody } } },
    async (request) => {
      const issues = definitionIssues(request.body.definition);
      return { valid: issues.length === 0, issues };
    },
  );

  api.post(
    "/api/v1/graphs/:id/run",
    {
      schema: {
        summary: "Run a stored definition with input (a kaygraph execution; follow stream_url); the body may be left out",
        params: executionParams,
        body: graphRunBody,
        response: { 200: executeResponse, 400: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      runner.start(callerOf(request).organizationId, {
        agent_type: "kaygraph",
        definition_id: request.params.id,
        input: request.body.input,
        model: request.body.model,
        max_tokens: request.body.max_tokens,
      }),
  );
}
