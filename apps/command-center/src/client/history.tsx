import { useEffect, useState } from "react";
import type { RunView } from "../views";
import { api } from "./api";
import { navigate } from "./router";

export function History() {
  const [runs, setRuns] = useState<RunView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.runs().then((r) => setRuns(r.runs), (e: Error) => setError(e.message));
  }, []);

  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">My history</h1>
      {error ? <p role="alert" className="error">{error}</p> : null}
      {runs === null && !error ? <p aria-live="polite">Loading…</p> : null}
      {runs?.length === 0 ? <p>You have not run any agent yet.</p> : null}
      {runs?.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Agent</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`/runs/${r.id}`} onClick={(e) => (e.preventDefault(), navigate(`/runs/${r.id}`))}>
                    {new Date(r.created_at).toLocaleString()}
                  </a>
                </td>
                <td>{r.agent.name}</td>
                <td className="clip">{r.input}</td>
                <td>
                  <span className={`badge ${r.status}`}>{r.status}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
