// One error shape for every service (contracts' errorBody), one mapping from what went wrong to it.
import type { ErrorBody } from "@kayos/contracts";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Thrown by handlers for expected failures; its message is shown to the caller. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues?: ErrorBody["issues"],
  ) {
    super(message);
  }
}

export function errorBody(statusCode: number, message: string, requestId: string, issues?: ErrorBody["issues"]): ErrorBody {
  return { statusCode, error: STATUS_TEXT[statusCode] ?? "Error", message, requestId, ...(issues ? { issues } : {}) };
}

/**
 * PostgreSQL's message when `error` is a SQLSTATE class 22 "data exception", as the pg driver
 * reports it or as Prisma's driver adapter carries it (as the error's cause).
 */
export function dataExceptionOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, severity, message } = e as { code?: unknown; severity?: unknown; message?: unknown };
    if (typeof code === "string" && code.startsWith("22") && typeof severity === "string") return typeof message === "string" ? message : code;
  }
  return undefined;
}

export const isDataException = (error: unknown) => dataExceptionOf(error) !== undefined;

export function handleError(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? "request";
    const issues = error.validation.map((v) => ({
      path: [where, ...v.instancePath.split("/").filter(Boolean)].join("."),
      message: v.message ?? "is invalid",
    }));
    const message = `Invalid ${where}: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`;
    return reply.status(400).send(errorBody(400, message, request.id, issues));
  }
  if (error instanceof HttpError) {
    return reply.status(error.statusCode).send(errorBody(error.statusCode, error.message, request.id, error.issues));
  }
  const dataProblem = dataExceptionOf(error);
  if (dataProblem) {
    // A value PostgreSQL cannot hold (out of range, not encodable) that validation let through: bad input, not a fault.
    return reply.status(400).send(errorBody(400, `A value could not be stored: ${dataProblem}`, request.id));
  }
  if ("code" in error && error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    const limit = request.routeOptions.bodyLimit ?? 1024 * 1024;
    return reply.status(413).send(errorBody(413, `Request body is too large: the limit is ${limit} bytes (${Number((limit / 1024 / 1024).toFixed(1))} MiB)`, request.id));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, body too large, wrong content type) say what was wrong.
    return reply.status(status).send(errorBody(status, error.message, request.id));
  }
  request.log.error({ err: error }, "unhandled error");
  return reply.status(500).send(errorBody(500, `Internal error; quote request id ${request.id} when reporting it`, request.id));
}
