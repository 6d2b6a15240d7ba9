"use client";

import { AGENT_TYPES, type AgentType } from "@kayos/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";

export function AgentList() {
  const trpc = useTRPC();
  const agents = useQuery(trpc.agents.list.queryOptions());
  return (
    <section className="card" aria-labelledby="agents-title">
      <h2 id="agents-title">Your agents</h2>
      <QueryState query={agents} isEmpty={(d) => d.length === 0} empty="No agents yet. Create the first one below.">
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Published</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link href={`/agents/${a.id}`}>{a.name}</Link>
                    {a.description && <p className="muted">{a.description}</p>}
                  </td>
                  <td>{AGENT_TYPES[a.agentType as AgentType]?.label ?? a.agentType}</td>
                  <td>{a.latestVersion > 0 ? `v${a.latestVersion}` : "draft only"}</td>
                  <td>{a.updatedAt.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}
