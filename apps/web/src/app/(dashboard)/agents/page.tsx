import type { Metadata } from "next";
import { AgentList } from "~/components/agents/agent-list";
import { CreateAgentForm } from "~/components/agents/create-agent-form";

export const metadata: Metadata = { title: "Agents" };

export default function AgentsPage() {
  return (
    <>
      <div>
        <h1>Agents</h1>
        <p className="muted">Configure agents, publish immutable versions, and run them on your servers.</p>
      </div>
      <AgentList />
      <CreateAgentForm />
    </>
  );
}
