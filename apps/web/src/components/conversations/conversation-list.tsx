"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";

export function ConversationList() {
  const trpc = useTRPC();
  const conversations = useQuery(trpc.conversations.list.queryOptions());
  return (
    <section className="card" aria-labelledby="conversations-title">
      <h2 id="conversations-title">Conversations</h2>
      <QueryState query={conversations} isEmpty={(d) => d.length === 0} empty="No conversations yet. Start one below.">
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>Conversation</th>
                <th>Agent</th>
                <th>Messages</th>
                <th>Last activity</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/conversations/${c.id}`}>{c.title}</Link>
                    {c.lastMessage?.content && <p className="muted clamp">{c.lastMessage.content}</p>}
                  </td>
                  <td>{c.agent?.name ?? "Claude"}</td>
                  <td>{c.messageCount}</td>
                  <td>{c.updatedAt.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}
