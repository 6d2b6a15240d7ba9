"use client";

import { CHAT_AGENT_TYPES } from "@kayos/api/routers/conversations/schema";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";

/** Starts a conversation with one of the organization's chat-capable agents, or Claude directly. */
export function NewConversationForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const agents = useQuery(trpc.agents.list.queryOptions());
  const [agentId, setAgentId] = useState("");
  const [title, setTitle] = useState("");
  const create = useMutation(trpc.conversations.create.mutationOptions({ onSuccess: (c) => router.push(`/conversations/${c.id}`) }));
  const chatAgents = (agents.data ?? []).filter((a) => (CHAT_AGENT_TYPES as readonly string[]).includes(a.agentType));
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ agentId: agentId || null, title: title.trim() || undefined });
  }
  return (
    <section className="card" aria-labelledby="new-conversation-title">
      <h2 id="new-conversation-title">New conversation</h2>
      <form className="stack" onSubmit={onSubmit}>
        <ErrorAlert error={create.error} />
        <label>
          Agent
          <select value={agentId} onChange={(e) => setAgentId(e.target.value)}>
            <option value="">Claude (no saved agent)</option>
            {chatAgents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.agentType})
              </option>
            ))}
          </select>
        </label>
        <label>
          Title (optional)
          <input value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <div>
          <button className="primary" type="submit" disabled={create.isPending}>
            {create.isPending ? "Starting…" : "Start conversation"}
          </button>
        </div>
      </form>
    </section>
  );
}
