// The one HTTP client for an agent service: carries the customer server's API key, times out, parses
// answers with the shared contract, and turns transport failures into AppErrors that say what to do.
import { errorBody, healthBody, whoamiBody, type ServiceName } from "@kayos/contracts";
import type { z } from "zod";
import { AppError, type AppErrorCode } from "../errors";

export interface ServiceEndpoint {
  baseUrl: string;
  apiKey: string;
}

export interface ClientOptions {
  timeoutMs?: number;
}

const passThrough: Partial<Record<number, AppErrorCode>> = {
  400: "BAD_REQUEST",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "BAD_REQUEST",
};

export class AgentServiceClient {
  private readonly timeoutMs: number;

  constructor(
    readonly service: ServiceName,
    private readonly endpoint: ServiceEndpoint,
    opts: ClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  get baseUrl() {
    return this.endpoint.baseUrl;
  }

  /** For server-side proxies (streams) that call the service themselves. */
  authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.endpoint.apiKey}` };
  }

  async request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const url = new URL(path, this.endpoint.baseUrl);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          ...this.authHeaders(),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new AppError("TIMEOUT", `${this.service} at ${this.baseUrl} did not answer within ${this.timeoutMs} ms`);
      }
      const reason = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as Error).message;
      throw new AppError(
        "SERVICE_UNAVAILABLE",
        `${this.service} at ${this.baseUrl} is unreachable (${reason}); check that it runs and the server's URL is right`,
        { cause: error },
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new AppError("BAD_GATEWAY", `${this.service} answered ${res.status} with a body that is not JSON`);
    }
    if (!res.ok) {
      const parsed = errorBody.safeParse(json);
      const message = parsed.success ? parsed.data.message : `HTTP ${res.status}`;
      if (res.status === 401) {
        throw new AppError("BAD_GATEWAY", `${this.service} refused the server's API key (${message}); update the key in the server settings`);
      }
      throw new AppError(passThrough[res.status] ?? "BAD_GATEWAY", `${this.service}: ${message}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new AppError("BAD_GATEWAY", `${this.service} answered in an unexpected shape: ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  }

  health() {
    return this.request("GET", "/health", healthBody);
  }

  whoami() {
    return this.request("GET", "/api/v1/whoami", whoamiBody);
  }
}
