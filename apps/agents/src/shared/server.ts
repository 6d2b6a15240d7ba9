// The frame every agent service plugs into: Fastify with zod validation, an OpenAPI document,
// one error shape, /health, and API-key authentication with organization scope on /api/v1/*.
import swagger from "@fastify/swagger";
import type { Caller } from "./api-key";
import { errorBody as errorSchema, healthBody, whoamiBody, type ServiceName } from "@kayos/contracts";
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBody, handleError } from "./errors";
import { version } from "./version";

declare module "fastify" {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/**
 * The OpenAPI answer of a route that streams Server-Sent Events (`events` says which), or, given
 * `json`, of one that answers JSON unless asked for `Accept: text/event-stream`.
 */
export function sseResponse(events: string, json?: z.ZodType) {
  const stream = { schema: z.string().describe(`text/event-stream: ${events}`) };
  return {
    description: json ? "JSON, or with Accept: text/event-stream a Server-Sent Events stream" : "A Server-Sent Events stream",
    content: json ? { "application/json": { schema: json }, "text/event-stream": stream } : { "text/event-stream": stream },
  };
}

export interface ServiceOptions {
  name: ServiceName;
  title: string;
  description: string;
  logLevel?: string;
  bodyLimit?: number;
  resolveCaller: (request: FastifyRequest) => Promise<Caller>;
  /** Extra fields for /health's `details`. */
  healthDetails?: () => Record<string, unknown>;
}

/** The caller of an authenticated route (set by the /api/v1 hook). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error("callerOf used outside an authenticated route");
  return request.caller;
}

export async function buildService(opts: ServiceOptions, routes: (app: FastifyInstance) => Promise<void> | void) {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? "info",
      base: { service: opts.name },
      redact: ["req.headers.authorization", 'req.headers["x-api-key"]'],
    },
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    // Per-request lines would dominate hot ingest paths; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: "x-request-id",
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(404, `No route ${request.method} ${request.url.split("?")[0]}`, request.id)),
  );

  await app.register(swagger, {
    openapi: {
      info: { title: opts.title, description: opts.description, version },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const started = Date.now();
  app.get(
    "/health",
    { schema: { summary: "Liveness", security: [], response: { 200: healthBody } } },
    async () => ({
      status: "healthy" as const,
      service: opts.name,
      version,
      uptime_s: (Date.now() - started) / 1000,
      ...(opts.healthDetails ? { details: opts.healthDetails() } : {}),
    }),
  );
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  // Every /api/v1 path, known or not, answers 401 without a valid key: nothing is probed unauthenticated.
  app.addHook("onRequest", async (request) => {
    if (request.url.startsWith("/api/v1/")) request.caller = await opts.resolveCaller(request);
  });
  await app.register(async (api) => {
    // …and says so in the OpenAPI document, so generated clients know the answer.
    api.addHook("onRoute", (route) => {
      if (!route.url.startsWith("/api/v1/")) return;
      const schema = (route.schema ??= {});
      schema.response = { 401: errorSchema, ...(schema.response as object | undefined) };
    });
    api.get(
      "/api/v1/whoami",
      { schema: { summary: "The organization this API key is scoped to", response: { 200: whoamiBody } } },
      async (request) => {
        const caller = callerOf(request);
        return { service: opts.name, organization_id: caller.organizationId, key_name: caller.keyName };
      },
    );
    await routes(api);
  });
  return app;
}
