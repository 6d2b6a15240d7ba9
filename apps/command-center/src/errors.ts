// One error type with one mapping to HTTP: messages say what to do; no stack ever reaches a client.
import type { FastifyError, FastifyInstance } from "fastify";
import type { z } from "zod";
import { jsonPath } from "./config/issues";

const STATUS = { BAD_REQUEST: 400, UNAUTHORIZED: 401, NOT_FOUND: 404, CONFLICT: 409, PAYLOAD_TOO_LARGE: 413 } as const;
export type AppErrorCode = keyof typeof STATUS;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
  get status() {
    return STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);

/** Parses a request part with zod; a failure is a 400 listing each problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: "body" | "params" | "query"): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: jsonPath([where, ...i.path]), message: i.message }));
  throw new AppError("BAD_REQUEST", `Invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
}

export function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send({ statusCode: error.status, error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) });
    }
    // Fastify's own client errors (bad JSON, body too large, wrong content type).
    const status = typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, "request failed");
    const message = status === 500 ? "Something went wrong on the server; try again, and tell your administrator if it persists" : error.message;
    return reply.status(status).send({ statusCode: status, error: status === 500 ? "INTERNAL" : (error.code ?? "BAD_REQUEST"), message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ statusCode: 404, error: "NOT_FOUND", message: `No route ${request.method} ${request.url.split("?")[0]}` }),
  );
}
