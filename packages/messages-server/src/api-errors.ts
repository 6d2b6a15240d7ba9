import { z } from "zod";

// The API's error types and the HTTP status each one answers with.
export const apiErrorTypeSchema = z.enum([
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "api_error",
  "overloaded_error",
]);
export type ApiErrorType = z.infer<typeof apiErrorTypeSchema>;

export const statusOfErrorType: Record<ApiErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

const defaultMessages: Record<ApiErrorType, string> = {
  invalid_request_error: "Invalid request",
  authentication_error: "invalid x-api-key",
  permission_error: "Your API key does not have permission to use the specified resource.",
  not_found_error: "Not found",
  request_too_large: "Request exceeds the maximum allowed number of bytes.",
  rate_limit_error: "Number of request tokens has exceeded your per-minute rate limit",
  api_error: "Internal server error",
  overloaded_error: "Overloaded",
};

export function errorTypeOfStatus(status: number): ApiErrorType {
  const found = apiErrorTypeSchema.options.find((type) => statusOfErrorType[type] === status);
  return found ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export function defaultErrorMessage(type: ApiErrorType): string {
  return defaultMessages[type];
}

/** The body of every error, over HTTP and as an SSE `error` event. */
export function errorBody(type: ApiErrorType, message: string, requestId?: string) {
  return { type: "error" as const, error: { type, message }, ...(requestId ? { request_id: requestId } : {}) };
}
