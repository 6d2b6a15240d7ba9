import type { Metadata } from "next";
import { ConversationList } from "~/components/conversations/conversation-list";
import { NewConversationForm } from "~/components/conversations/new-conversation-form";

export const metadata: Metadata = { title: "Conversations" };

export default function ConversationsPage() {
  return (
    <>
      <h1>Conversations</h1>
      <ConversationList />
      <NewConversationForm />
    </>
  );
}
