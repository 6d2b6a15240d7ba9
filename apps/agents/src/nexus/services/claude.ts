// The one code path to Claude: the Anthropic SDK, streaming, with its own retries on 429/529
// (honouring retry-after), a per-request timeout, and an AbortSignal for stop. Each call's usage
// is handed to `onUsage` (Observer reporting and the execution's totals).
import Anthropic from "@anthropic-ai/sdk";
import type { Message, MessageCreateParamsBase, MessageParam, Tool, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import type { NexusConfig } from "../env";

export interface CallUsage {
  model: string;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  latencyMs: number;
  ttftMs: number | null;
  isError: boolean;
  toolCalls: string[];
}

export interface ClaudeRequest {
  model: string;
  maxTokens: number;
  system?: string;
  messages: MessageParam[];
  tools?: Tool[];
  toolChoice?: ToolChoice;
  signal: AbortSignal;
  onText?: (text: string) => void;
  onUsage?: (usage: CallUsage) => void;
}

/** A model failure whose message is the API's own (shown to the caller as the execution's error). */
export class ModelError extends Error {}

export class Claude {
  private readonly client?: Anthropic;

  constructor(private readonly config: NexusConfig) {
    if (config.ANTHROPIC_API_KEY || config.ANTHROPIC_BASE_URL) {
      this.client = new Anthropic({
        apiKey: config.ANTHROPIC_API_KEY ?? "offline",
        baseURL: config.ANTHROPIC_BASE_URL,
        maxRetries: config.NEXUS_MAX_RETRIES,
        timeout: config.NEXUS_MODEL_TIMEOUT_MS,
      });
    }
  }

  get configured() {
    return this.client !== undefined;
  }

  async stream(req: ClaudeRequest): Promise<Message> {
    if (!this.client) {
      throw new ModelError(
        "Claude is not configured: set ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL to a local Messages server (npm run dev does this when no key is set)",
      );
    }
    const started = performance.now();
    let ttft: number | null = null;
    const params: MessageCreateParamsBase = {
      model: req.model,
      max_tokens: req.maxTokens,
      messages: req.messages,
      ...(req.system ? { system: req.system } : {}),
      ...(req.tools ? { tools: req.tools } : {}),
      ...(req.toolChoice ? { tool_choice: req.toolChoice } : {}),
    };
    const stream = this.client.messages.stream(params, { signal: req.signal });
    stream.on("streamEvent", (event) => {
      if (ttft === null && event.type === "content_block_delta") ttft = performance.now() - started;
    });
    if (req.onText) stream.on("text", req.onText);
    try {
      const message = await stream.finalMessage();
      req.onUsage?.(usageOf(req.model, message, started, ttft, false));
      return message;
    } catch (error) {
      const partial = stream.currentMessage;
      if (req.signal.aborted) {
        // Stopped mid-answer: the tokens read and written so far were used (and billed) all the same.
        if (partial) req.onUsage?.(usageOf(req.model, partial, started, ttft, false));
        throw error;
      }
      req.onUsage?.(
        partial ? usageOf(req.model, partial, started, ttft, true) : { ...emptyUsage(req.model), latencyMs: Math.round(performance.now() - started), isError: true },
      );
      throw new ModelError(modelMessage(error));
    }
  }
}

function usageOf(model: string, m: Message, started: number, ttft: number | null, isError: boolean): CallUsage {
  const u = m.usage;
  const cacheCreation = u.cache_creation as { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null | undefined;
  const write1h = cacheCreation?.ephemeral_1h_input_tokens ?? 0;
  return {
    model: m.model || model,
    input: u.input_tokens ?? 0,
    output: u.output_tokens ?? 0,
    cacheRead: u.cache_read_input_tokens ?? 0,
    cacheWrite5m: cacheCreation?.ephemeral_5m_input_tokens ?? Math.max(0, (u.cache_creation_input_tokens ?? 0) - write1h),
    cacheWrite1h: write1h,
    latencyMs: Math.round(performance.now() - started),
    ttftMs: ttft === null ? null : Math.round(ttft),
    isError,
    toolCalls: m.content.filter((b) => b.type === "tool_use").map((b) => (b as { name: string }).name),
  };
}

function emptyUsage(model: string): CallUsage {
  return { model, input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, latencyMs: 0, ttftMs: null, isError: true, toolCalls: [] };
}

/** The API's own message (`overloaded_error: Overloaded`), not the SDK's wrapping. */
export function modelMessage(error: unknown): string {
  if (error instanceof Anthropic.APIError) {
    const body = error.error as { error?: { type?: string; message?: string } } | undefined;
    const inner = body?.error;
    if (inner?.message) return `Claude API error${error.status ? ` ${error.status}` : ""} (${inner.type ?? "error"}): ${inner.message}`;
    return `Claude API error: ${error.message}`;
  }
  return `Claude call failed: ${(error as Error).message}`;
}
