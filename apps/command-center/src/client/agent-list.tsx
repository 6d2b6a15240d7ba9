import { useEffect, useState } from "react";
import type { AgentView } from "../views";
import { api } from "./api";
import { navigate } from "./router";

export function AgentList() {
  const [agents, setAgents] = useState<AgentView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.agents().then((r) => setAgents(r.agents), (e: Error) => setError(e.message));
  }, []);

  return (
    <section aria-labelledby="agents-title">
      <h1 id="agents-title">Agents</h1>
      {error ? <p role="alert" className="error">{error}</p> : null}
      {agents === null && !error ? <p aria-live="polite">Loading agents…</p> : null}
      {agents?.length === 0 ? <p>No agents are available to you yet; ask your administrator to add some.</p> : null}
      <ul className="agents">
        {agents?.map((a) => (
          <li key={a.id} className="card">
            <h2>
              <a href={`/agents/${a.id}`} onClick={(e) => (e.preventDefault(), navigate(`/agents/${a.id}`))}>
                {a.name}
              </a>
            </h2>
            {a.description ? <p>{a.description}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
