import { z } from "zod";

/** Agent types a conversation can talk to: chat on Nexus, or Claude Code resumed turn by turn on Smith. */
export const CHAT_AGENT_TYPES = ["claude-conversational", "planner", "complete-planner", "claude_code"] as const;

export const createConversationInput = z.object({
  /** A saved agent; without one the conversation talks to Claude directly (claude-conversational). */
  agentId: z.string().nullish(),
  title: z.string().trim().min(1).max(120).optional(),
});

export const sendMessageInput = z.object({
  id: z.string(),
  content: z.string().trim().min(1, "Write a message first").max(100_000, "Messages are limited to 100,000 characters"),
});

export const listConversationsInput = z.object({ agentId: z.string().optional() }).default({});
