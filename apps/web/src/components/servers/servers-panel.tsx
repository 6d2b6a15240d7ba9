"use client";

import type { RouterOutputs } from "@kayos/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";
import { AddServerForm } from "./add-server-form";
import { EditServerForm } from "./edit-server-form";

type TestResult = RouterOutputs["servers"]["testConnection"];

function TestResults({ result }: { result: TestResult }) {
  return (
    <ul aria-label="Connection test results">
      {result.services.map((s) => (
        <li key={s.service}>
          <span className={`badge ${s.state}`}>{s.state}</span> {s.service}:{" "}
          {s.state === "healthy" ? `v${s.version}, ${s.latencyMs} ms` : s.message}
        </li>
      ))}
      <li>
        <span className={`badge ${result.ssh ? (result.ssh.ok ? "healthy" : "down") : "checking"}`}>
          {result.ssh ? (result.ssh.ok ? "ok" : "failed") : "not set"}
        </span>{" "}
        SSH: {result.ssh ? result.ssh.message : "no SSH access configured"}
      </li>
    </ul>
  );
}

export function ServersPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const servers = useQuery(trpc.servers.list.queryOptions());
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const test = useMutation(
    trpc.servers.testConnection.mutationOptions({ onSuccess: (r, { id }) => setResults((m) => ({ ...m, [id]: r })) }),
  );
  const remove = useMutation(
    trpc.servers.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.servers.pathFilter()) }),
  );
  const makeDefault = useMutation(
    trpc.servers.setDefault.mutationOptions({
      onSuccess: (s) => {
        setNotice(`${s.name} is the default server: agents without a server of their own run there.`);
        return queryClient.invalidateQueries(trpc.servers.pathFilter());
      },
    }),
  );

  return (
    <>
      <section className="card" aria-labelledby="servers-title">
        <h2 id="servers-title">Servers</h2>
        {notice && (
          <div className="alert ok" role="status">
            {notice}
          </div>
        )}
        <ErrorAlert error={test.error ?? remove.error ?? makeDefault.error} />
        <QueryState query={servers} isEmpty={(d) => d.length === 0} empty="No servers yet. Add the first one below.">
          {(list) => (
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Agent services</th>
                  <th>SSH</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <Fragment key={s.id}>
                    <tr data-testid={`server-${s.name}`}>
                      <td>
                        {s.name} {s.isDefault && <span className="badge checking">default</span>}
                        {results[s.id] && <TestResults result={results[s.id] as TestResult} />}
                      </td>
                      <td>
                        <code>{s.nexusUrl}</code>
                        <br />
                        <code>{s.smithUrl}</code>
                        <br />
                        <code>{s.observerUrl}</code>
                      </td>
                      <td>
                        {s.sshHost ? `${s.sshUser}@${s.sshHost}:${s.sshPort}` : "—"}
                        {s.sshHost && (
                          <p className="muted">
                            {s.sshHostKey ? (
                              <code title="Pinned on first contact; another key is refused">
                                host key {s.sshHostKey}
                              </code>
                            ) : (
                              "host key: pinned on first contact"
                            )}
                          </p>
                        )}
                      </td>
                      <td>
                        <div className="row">
                          <button
                            type="button"
                            aria-expanded={editing === s.id}
                            onClick={() => {
                              setNotice(null);
                              setEditing(editing === s.id ? null : s.id);
                            }}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            disabled={test.isPending && test.variables?.id === s.id}
                            onClick={() => test.mutate({ id: s.id })}
                          >
                            {test.isPending && test.variables?.id === s.id ? "Testing…" : "Test connection"}
                          </button>
                          {!s.isDefault && (
                            <button type="button" disabled={makeDefault.isPending} onClick={() => makeDefault.mutate({ id: s.id })}>
                              Make default
                            </button>
                          )}
                          <button
                            type="button"
                            className="danger"
                            onClick={() => confirm(`Remove ${s.name}? Runs still going on it are stopped first.`) && remove.mutate({ id: s.id })}
                          >
                            Remove
                          </button>
                        </div>
                      </td>
                    </tr>
                    {editing === s.id && (
                      <tr>
                        <td colSpan={4}>
                          <EditServerForm
                            server={s}
                            onCancel={() => setEditing(null)}
                            onSaved={(message) => {
                              setEditing(null);
                              setNotice(message);
                            }}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </section>
      <AddServerForm />
    </>
  );
}
