// One application error type, mapped once to tRPC codes (and, through them, to HTTP statuses).
import { TRPCError } from "@trpc/server";

export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TIMEOUT"
  | "SERVICE_UNAVAILABLE"
  | "BAD_GATEWAY";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }
}

const httpStatus: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  BAD_GATEWAY: 502,
};

export const statusOf = (error: AppError) => httpStatus[error.code];

export function toTRPCError(error: AppError): TRPCError {
  const code = error.code === "TIMEOUT" ? "TIMEOUT" : error.code;
  return new TRPCError({ code, message: error.message, cause: error });
}
