// The seed's coding conversations: a chat with an agent where each reply is a run (streamed like any
// other). Nexus keeps the model-side history; the control plane keeps the transcript users see.
import type { AgentType } from "@kayos/contracts";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { assertAgentAccess, assertMayRunAgents, runnableVersion } from "../../services/agent-access";
import { dispatchRun, serverOfRun } from "../../services/dispatch";
import { replyText, syncRun } from "../../services/run-sync";
import { TERMINAL_STATUSES } from "../../services/run-status";
import { createTRPCRouter, orgMutation, orgProcedure } from "../../trpc";
import { CHAT_AGENT_TYPES, createConversationInput, listConversationsInput, sendMessageInput } from "./schema";

const byId = z.object({ id: z.string() });
const messageFields = {
  id: true,
  role: true,
  content: true,
  createdAt: true,
  run: { select: { id: true, status: true, externalId: true, service: true, organizationId: true, serverId: true, waitingSince: true } },
} as const;

type Ctx = Parameters<typeof assertAgentAccess>[0] & { config: { encryptionKey: string; serviceTimeoutMs: number } };

async function findConversation(ctx: Ctx, id: string) {
  const conversation = await ctx.db.codingConversation.findFirst({
    where: { id, organizationId: ctx.org.id },
    include: { agent: { select: { id: true, name: true, agentType: true, serverId: true } } },
  });
  if (!conversation) throw new TRPCError({ code: "NOT_FOUND", message: `No conversation ${id} in this organization` });
  return conversation;
}

/** Fills in replies whose run has finished since the last read (a service that is down leaves them pending). */
async function settleReplies(ctx: Ctx, conversationId: string) {
  const pending = await ctx.db.message.findMany({
    where: { conversationId, role: "assistant", content: "", runId: { not: null } },
    select: messageFields,
  });
  for (const message of pending) {
    const synced = await syncRun(ctx, message.run!).catch(() => null);
    if (synced && TERMINAL_STATUSES.has(synced.status)) {
      await ctx.db.message.update({ where: { id: message.id }, data: { content: replyText(synced.upstream) } });
    }
  }
}

const view = <M extends { run: { id: string; status: string; service: string } | null }>(m: M) => ({
  ...m,
  run: m.run && { id: m.run.id, status: m.run.status, service: m.run.service },
});

export const conversationsRouter = createTRPCRouter({
  list: orgProcedure("conversations", "read")
    .input(listConversationsInput)
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.codingConversation.findMany({
        where: { organizationId: ctx.org.id, agentId: input.agentId },
        orderBy: { updatedAt: "desc" },
        take: 100,
        include: {
          agent: { select: { id: true, name: true, agentType: true } },
          messages: { orderBy: { createdAt: "desc" }, take: 1, select: { role: true, content: true, createdAt: true } },
          _count: { select: { messages: true } },
        },
      });
      return rows.map(({ messages, _count, ...c }) => ({ ...c, lastMessage: messages[0] ?? null, messageCount: _count.messages }));
    }),

  create: orgMutation("conversations", "write")
    .input(createConversationInput)
    .mutation(async ({ ctx, input }) => {
      let title = input.title ?? "New conversation";
      if (input.agentId) {
        const agent = await assertAgentAccess(ctx, input.agentId, "use");
        if (!(CHAT_AGENT_TYPES as readonly string[]).includes(agent.agentType)) {
          throw new TRPCError({ code: "BAD_REQUEST", message: `A ${agent.agentType} agent cannot chat; pick one of: ${CHAT_AGENT_TYPES.join(", ")}` });
        }
        title = input.title ?? `Chat with ${agent.name}`;
      }
      return ctx.db.codingConversation.create({
        data: { organizationId: ctx.org.id, agentId: input.agentId ?? null, title, createdById: ctx.user.id },
      });
    }),

  get: orgProcedure("conversations", "read")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const conversation = await findConversation(ctx, input.id);
      await settleReplies(ctx, conversation.id);
      const messages = await ctx.db.message.findMany({
        where: { conversationId: conversation.id },
        orderBy: [{ createdAt: "asc" }, { role: "desc" }],
        select: messageFields,
      });
      return { ...conversation, messages: messages.map(view) };
    }),

  /** Posts the user's message and starts the reply; the reply streams from `/stream` (its run). */
  send: orgMutation("conversations", "write")
    .input(sendMessageInput)
    .mutation(async ({ ctx, input }) => {
      const conversation = await findConversation(ctx, input.id);
      const previous = await ctx.db.message.findFirst({
        where: { conversationId: conversation.id, role: "assistant", runId: { not: null } },
        orderBy: { createdAt: "desc" },
        select: { run: { select: { status: true, externalId: true, organizationId: true, serverId: true } } },
      });
      if (previous?.run && !TERMINAL_STATUSES.has(previous.run.status)) {
        throw new TRPCError({ code: "CONFLICT", message: "The agent is still replying; wait for it or stop the reply first" });
      }
      let source: Awaited<ReturnType<typeof runnableVersion>>;
      if (conversation.agentId) {
        const agent = await assertAgentAccess(ctx, conversation.agentId, "use");
        source = await runnableVersion(ctx.db, agent);
      } else {
        await assertMayRunAgents(ctx);
        source = { versionId: null, agentType: "claude-conversational", config: {} };
      }
      // It goes on where its history is: the server of its last reply (the agent may have moved since).
      const serverId = previous?.run?.serverId ?? conversation.agent?.serverId;
      if (previous?.run?.serverId && !(await serverOfRun(ctx, previous.run))) {
        throw new TRPCError({ code: "CONFLICT", message: "This conversation's history was on a server that has been deleted: start a new conversation" });
      }
      const { run, conversationId } = await dispatchRun(ctx, {
        organizationId: ctx.org.id,
        userId: ctx.user.id,
        agentType: source.agentType as AgentType,
        config: source.config,
        prompt: input.content,
        agentId: conversation.agentId,
        agentVersionId: source.versionId,
        serverId,
        conversationId: source.agentType === "claude-conversational" ? conversation.externalId : null,
        resume: source.agentType === "claude_code" ? previous?.run?.externalId : null,
      });
      const now = Date.now();
      const [question, reply] = await ctx.db.$transaction([
        ctx.db.message.create({
          data: { organizationId: ctx.org.id, conversationId: conversation.id, role: "user", content: input.content, createdAt: new Date(now) },
          select: messageFields,
        }),
        ctx.db.message.create({
          data: { organizationId: ctx.org.id, conversationId: conversation.id, role: "assistant", content: "", runId: run.id, createdAt: new Date(now + 1) },
          select: messageFields,
        }),
        ctx.db.codingConversation.update({
          where: { id: conversation.id },
          data: { updatedAt: new Date(now), ...(conversationId && !conversation.externalId ? { externalId: conversationId } : {}) },
        }),
      ]);
      return { id: conversation.id, message: view(question), reply: view(reply), runId: run.id, streamUrl: `/api/runs/${run.id}/stream` };
    }),
});
