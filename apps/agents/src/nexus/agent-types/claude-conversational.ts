// Multi-turn chat over the conversation's stored history, streamed token by token.
import type { MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { STOP } from "../services/run";
import { splitContext } from "../services/run-context";
import type { AgentType } from "./types";

export const claudeConversational: AgentType = {
  name: "claude-conversational",
  description: "Multi-turn chat with Claude over the conversation's stored history, streamed token by token",
  requiresPrompt: true,
  async run(ctx) {
    const { conversations } = ctx.deps;
    const conversationId = ctx.conversationId!;
    const prompt = ctx.input.prompt;
    let system: string | undefined;
    let messages: MessageParam[];
    if (ctx.newConversation) {
      messages = [{ role: "user", content: prompt }];
    } else {
      const [conversation, history] = await Promise.all([
        conversations.get(ctx.organizationId, conversationId),
        conversations.messages(conversationId),
      ]);
      system = conversation.system ?? undefined;
      messages = toTurns([...history.map((m) => ({ role: m.role, text: String(m.content) })), { role: "user", text: prompt }]);
    }
    const stored = ctx.ready.then(() => conversations.addMessage(ctx.organizationId, conversationId, "user", prompt, ctx.executionId));
    const { instructions, data } = splitContext(ctx.input.context);
    let message;
    let shown = "";
    try {
      message = await ctx.claude({
        model: ctx.input.model,
        maxTokens: ctx.input.max_tokens,
        system: [system, instructions, data].filter(Boolean).join("\n\n") || undefined,
        messages,
        onText: (text) => {
          shown += text;
          ctx.emit("token", { text });
        },
      });
    } catch (error) {
      // A reply the user stopped stays in the history as far as it was shown, as chat apps keep it:
      // the next turn continues from what the user read.
      if (ctx.signal.reason === STOP && shown) {
        await stored.then(() => conversations.addMessage(ctx.organizationId, conversationId, "assistant", shown, ctx.executionId)).catch(() => undefined);
      }
      throw error;
    } finally {
      // The question stays in the history even when the reply failed (the next turn joins them).
      await stored.catch(() => undefined);
    }
    const text = message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    await stored;
    await conversations.addMessage(ctx.organizationId, conversationId, "assistant", text, ctx.executionId);
    return { text, stop_reason: message.stop_reason, conversation_id: conversationId, model: message.model };
  },
};

/** Consecutive turns of one role (e.g. a question whose reply failed) are joined into one. */
function toTurns(items: { role: string; text: string }[]): MessageParam[] {
  const turns: { role: "user" | "assistant"; content: string }[] = [];
  for (const item of items) {
    const role = item.role === "assistant" ? "assistant" : "user";
    const last = turns.at(-1);
    if (last && last.role === role) last.content += `\n\n${item.text}`;
    else turns.push({ role, content: item.text });
  }
  // The API wants the first turn from the user.
  while (turns[0]?.role === "assistant") turns.shift();
  return turns;
}
