import { type IncomingMessage, type ServerResponse } from "node:http";
import { answer, type Pacing } from "./answer";
import { countTokensProblem, messagesProblem } from "./conversation-rules";
import { type Responder } from "./default-responder";
import { Exchange, readBody } from "./exchange";
import { newRequestId } from "./ids";
import { modelPage, models } from "./models";
import { type MessagesCall, type RecordedRequest, redactHeaders } from "./recorded-request";
import { countTokensRequestSchema, describeIssues, messagesRequestSchema } from "./request-schema";
import { type Script } from "./script";
import { countInputTokens } from "./tokens";

export interface ServerState {
  script: Script;
  requests: RecordedRequest[];
  responder: Responder;
  pacing: Pacing;
  apiKey?: string;
  maxBodyBytes: number;
  /** How many recent requests to keep in `requests` (a long-running dev server must not grow). */
  maxRecorded: number;
  log: (line: string) => void;
}

type Handler = (state: ServerState, exchange: Exchange, record: RecordedRequest) => Promise<void>;

function authProblem(state: ServerState, req: IncomingMessage): string | undefined {
  const apiKey = req.headers["x-api-key"];
  const authorization = req.headers.authorization;
  if (apiKey === undefined && authorization === undefined) return "x-api-key header is required";
  if (state.apiKey === undefined) return undefined;
  return apiKey === state.apiKey || authorization === `Bearer ${state.apiKey}` ? undefined : "invalid x-api-key";
}

// Reads the JSON body, answering 413/400 itself (and returning undefined) when it cannot.
async function jsonBody(state: ServerState, exchange: Exchange, record: RecordedRequest): Promise<unknown> {
  const raw = await readBody(exchange.req, state.maxBodyBytes);
  if (raw === undefined) {
    exchange.error(413, "request_too_large", `Request exceeds the maximum allowed number of bytes (${state.maxBodyBytes}).`);
    return undefined;
  }
  try {
    record.body = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    exchange.error(400, "invalid_request_error", `The request body is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  if (typeof record.body === "object" && record.body !== null && !Array.isArray(record.body)) return record.body;
  exchange.error(400, "invalid_request_error", "The request body must be a JSON object");
  return undefined;
}

const createMessage: Handler = async (state, exchange, record) => {
  const body = await jsonBody(state, exchange, record);
  if (body === undefined) return;
  const parsed = messagesRequestSchema.safeParse(body);
  const problem = parsed.success ? messagesProblem(parsed.data, record.beta) : describeIssues(parsed.error.issues);
  if (!parsed.success || problem !== undefined) return exchange.error(400, "invalid_request_error", problem ?? "Invalid request");
  const call: MessagesCall = Object.assign(record, { body: parsed.data });
  const scripted = state.script.take(call);
  record.handledBy = scripted ? "script" : "default";
  await answer(exchange, scripted ?? state.responder(call), call, state.pacing);
};

const countTokens: Handler = async (state, exchange, record) => {
  const body = await jsonBody(state, exchange, record);
  if (body === undefined) return;
  const parsed = countTokensRequestSchema.safeParse(body);
  const problem = parsed.success ? countTokensProblem(parsed.data) : describeIssues(parsed.error.issues);
  if (!parsed.success || problem !== undefined) return exchange.error(400, "invalid_request_error", problem ?? "Invalid request");
  exchange.json(200, { input_tokens: countInputTokens(parsed.data) });
};

const listModels: Handler = async (_state, exchange) => exchange.json(200, modelPage(models));

const getModel: Handler = async (_state, exchange, record) => {
  const id = decodeURIComponent(record.path.slice("/v1/models/".length));
  const found = models.find((model) => model.id === id);
  if (found) exchange.json(200, found);
  else exchange.error(404, "not_found_error", `model: ${id}`);
};

function handlerFor(method: string, path: string): Handler | undefined {
  if (method === "POST" && path === "/v1/messages") return createMessage;
  if (method === "POST" && path === "/v1/messages/count_tokens") return countTokens;
  if (method === "GET" && path === "/v1/models") return listModels;
  if (method === "GET" && path.startsWith("/v1/models/")) return getModel;
  return undefined;
}

/** Handles one HTTP request end to end; never throws (an unexpected fault answers 500 api_error). */
export async function route(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const exchange = new Exchange(req, res, newRequestId());
  const url = new URL(req.url ?? "/", "http://messages-server");
  const method = req.method ?? "GET";
  const record: RecordedRequest = {
    id: exchange.requestId,
    method,
    path: url.pathname,
    beta: url.searchParams.get("beta") === "true",
    headers: redactHeaders(req.headers),
    body: undefined,
    receivedAt: new Date(),
    handledBy: "server",
  };
  state.requests.push(record);
  if (state.requests.length > state.maxRecorded) state.requests.splice(0, state.requests.length - state.maxRecorded);
  res.on("close", () => {
    record.status = res.headersSent ? res.statusCode : undefined;
    state.log(`${method} ${req.url} ${record.status ?? "(no answer)"} ${record.handledBy ?? ""}`);
  });
  try {
    // Claude Code probes `HEAD /` before its first request.
    if ((method === "HEAD" || method === "GET") && url.pathname === "/") return exchange.json(200, { ok: true });
    const handler = handlerFor(method, url.pathname);
    if (!handler) return exchange.error(404, "not_found_error", `Not found: ${method} ${url.pathname}`);
    const auth = authProblem(state, req);
    if (auth) return exchange.error(401, "authentication_error", auth);
    if (req.headers["anthropic-version"] === undefined) {
      return exchange.error(400, "invalid_request_error", "anthropic-version: header is required");
    }
    await handler(state, exchange, record);
  } catch (error) {
    state.log(`internal fault: ${(error as Error).stack ?? String(error)}`);
    if (!res.headersSent) exchange.error(500, "api_error", "Internal server error");
    else res.destroy();
  } finally {
    if (record.handledBy === "server" && res.statusCode >= 400) record.handledBy = "rejected";
  }
}
