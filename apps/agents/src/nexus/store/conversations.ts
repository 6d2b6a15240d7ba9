// Conversations and their messages (text content), scoped by organization.
import type { AgentsDb } from "@kayos/db/agents";
import type { ConversationList, ConversationView } from "@kayos/contracts";
import { randomUUID } from "node:crypto";
import { HttpError } from "../../shared/errors";
import { insertConversation, insertMessage, type Pool } from "./sql";

// Ordered ids: two messages written in the same millisecond still sort in the order they were made.
const messageId = () => `msg_${process.hrtime.bigint().toString().padStart(20, "0")}${randomUUID().slice(0, 8)}`;

export class ConversationStore {
  constructor(
    private readonly db: AgentsDb,
    private readonly pool: Pool,
  ) {}

  create(organizationId: string, data: { agentType: string; title?: string; system?: string }) {
    return this.db.conversation.create({ data: { organizationId, ...data } });
  }

  /** The conversation an execution starts (hot path: written while the reply streams). */
  createForExecution(organizationId: string, id: string, agentType: string, title: string) {
    return insertConversation(this.pool, { id, organizationId, agentType, title });
  }

  async get(organizationId: string, id: string) {
    const row = await this.db.conversation.findFirst({ where: { id, organizationId } });
    if (!row) throw new HttpError(404, `No conversation ${id}`);
    return row;
  }

  /** The organization's conversations, newest first, a page at a time. */
  async list(organizationId: string, page: { limit: number; cursor?: string }): Promise<ConversationList> {
    if (page.cursor && !(await this.db.conversation.findFirst({ where: { id: page.cursor, organizationId }, select: { id: true } }))) {
      throw new HttpError(400, `Unknown cursor ${page.cursor}: pass the next_cursor of the previous page`);
    }
    const rows = await this.db.conversation.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
      include: { _count: { select: { messages: true } } },
    });
    const shown = rows.slice(0, page.limit);
    return {
      conversations: shown.map((c) => ({
        id: c.id,
        agent_type: c.agentType,
        title: c.title,
        system: c.system,
        created_at: c.createdAt.toISOString(),
        message_count: c._count.messages,
      })),
      next_cursor: rows.length > page.limit ? shown.at(-1)!.id : null,
    };
  }

  /** The history in order, as stored. */
  messages(conversationId: string) {
    return this.db.conversationMessage.findMany({ where: { conversationId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  addMessage(organizationId: string, conversationId: string, role: "user" | "assistant", text: string, executionId: string) {
    return insertMessage(this.pool, { id: messageId(), organizationId, conversationId, role, text, executionId });
  }

  async view(organizationId: string, id: string): Promise<ConversationView> {
    const c = await this.get(organizationId, id);
    const messages = await this.messages(id);
    return {
      id: c.id,
      agent_type: c.agentType,
      title: c.title,
      system: c.system,
      created_at: c.createdAt.toISOString(),
      messages: messages.map((m) => ({
        id: m.id,
        role: m.role === "assistant" ? "assistant" : "user",
        content: typeof m.content === "string" ? m.content : JSON.stringify(m.content),
        execution_id: m.executionId,
        created_at: m.createdAt.toISOString(),
      })),
    };
  }
}
