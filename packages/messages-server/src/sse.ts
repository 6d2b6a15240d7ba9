import type Anthropic from "@anthropic-ai/sdk";
import { defaultErrorMessage, errorBody } from "./api-errors";
import { type Exchange } from "./exchange";
import { type StreamSpec } from "./replies";

type Event = Anthropic.RawMessageStreamEvent | { type: "ping" } | ReturnType<typeof errorBody>;

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}

// Each block opens with an empty shell, then its content arrives as deltas, as the API streams it.
function startAndDeltas(block: Anthropic.ContentBlock, size: number): [Anthropic.ContentBlock, Anthropic.RawContentBlockDelta[]] {
  switch (block.type) {
    case "text":
      return [{ ...block, text: "" }, chunks(block.text, size).map((text) => ({ type: "text_delta", text }))];
    case "tool_use":
      return [
        { ...block, input: {} },
        // The API opens tool input with an empty partial_json before the JSON itself.
        ["", ...chunks(JSON.stringify(block.input), size)].map((partial_json) => ({ type: "input_json_delta", partial_json })),
      ];
    case "thinking":
      return [
        { ...block, thinking: "", signature: "" },
        [
          ...chunks(block.thinking, size).map((thinking): Anthropic.RawContentBlockDelta => ({ type: "thinking_delta", thinking })),
          { type: "signature_delta", signature: block.signature },
        ],
      ];
    default:
      return [block, []];
  }
}

/** Every event of a streamed message, in the API's order (ping after the first block opens). */
export function messageEvents(message: Anthropic.Message, chunkChars: number): Event[] {
  const { usage } = message;
  const events: Event[] = [
    {
      type: "message_start",
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    },
  ];
  message.content.forEach((block, index) => {
    const [start, deltas] = startAndDeltas(block, Math.max(1, chunkChars));
    events.push({ type: "content_block_start", index, content_block: start });
    if (index === 0) events.push({ type: "ping" });
    for (const delta of deltas) events.push({ type: "content_block_delta", index, delta });
    events.push({ type: "content_block_stop", index });
  });
  if (message.content.length === 0) events.push({ type: "ping" });
  events.push({
    type: "message_delta",
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, stop_details: null, container: null },
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      server_tool_use: null,
      output_tokens_details: null,
    },
  });
  events.push({ type: "message_stop" });
  return events;
}

function frame(event: Event): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Writes a message as `text/event-stream`, pacing deltas and failing or stalling where scripted. */
export async function streamMessage(
  exchange: Exchange,
  message: Anthropic.Message,
  spec: Required<Pick<StreamSpec, "chunkChars" | "deltaDelayMs">> & StreamSpec,
  headers: Record<string, string>,
): Promise<void> {
  const { res } = exchange;
  res.writeHead(200, { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  let deltas = 0;
  for (const event of messageEvents(message, spec.chunkChars)) {
    if (exchange.closed) return;
    if (event.type === "content_block_delta") {
      if (deltas === spec.failAfterDeltas) {
        const type = spec.failWith?.type ?? "overloaded_error";
        res.end(frame(errorBody(type, spec.failWith?.message ?? defaultErrorMessage(type))));
        return;
      }
      if (deltas === spec.hangAfterDeltas) return exchange.untilClosed();
      await exchange.sleep(spec.deltaDelayMs);
      if (exchange.closed) return;
      deltas += 1;
    }
    res.write(frame(event));
  }
  res.end();
}
