"use client";

import type { RouterOutputs } from "@kayos/api";
import { createServerInput } from "@kayos/api/routers/servers/schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { fieldErrors } from "~/components/ui/field-errors";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";

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

const FIELDS = [
  ["name", "Name"],
  ["nexusUrl", "KayNexus URL"],
  ["smithUrl", "KaySmith URL"],
  ["observerUrl", "CodingObserver URL"],
  ["apiKey", "Agent services API key (stored encrypted, never shown again)"],
] as const;

export function ServersPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const servers = useQuery(trpc.servers.list.queryOptions());
  const [results, setResults] = useState<Record<string, TestResult>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  const [ssh, setSsh] = useState({ host: "", port: "22", user: "", privateKey: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const test = useMutation(
    trpc.servers.testConnection.mutationOptions({ onSuccess: (r, { id }) => setResults((m) => ({ ...m, [id]: r })) }),
  );
  const remove = useMutation(
    trpc.servers.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.servers.pathFilter()) }),
  );
  const create = useMutation(
    trpc.servers.create.mutationOptions({
      onSuccess: () => {
        setValues({});
        setSsh({ host: "", port: "22", user: "", privateKey: "" });
        return queryClient.invalidateQueries(trpc.servers.pathFilter());
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const withSsh = ssh.host.trim() ? { ssh: { ...ssh, port: Number(ssh.port) } } : {};
    const { data, errors } = fieldErrors(createServerInput, { ...values, ...withSsh });
    setErrors(errors);
    if (data) create.mutate(data);
  }

  return (
    <>
      <section className="card" aria-labelledby="servers-title">
        <h2 id="servers-title">Servers</h2>
        <ErrorAlert error={test.error ?? remove.error} />
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
                  <tr key={s.id} data-testid={`server-${s.name}`}>
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
                        <p className="muted">{s.sshHostKey ? <code title="Pinned on first contact; another key is refused">host key {s.sshHostKey}</code> : "host key: pinned on first contact"}</p>
                      )}
                    </td>
                    <td>
                      <div className="row">
                        <button
                          type="button"
                          disabled={test.isPending && test.variables?.id === s.id}
                          onClick={() => test.mutate({ id: s.id })}
                        >
                          {test.isPending && test.variables?.id === s.id ? "Testing…" : "Test connection"}
                        </button>
                        <button
                          type="button"
                          className="danger"
                          onClick={() => confirm(`Remove ${s.name}?`) && remove.mutate({ id: s.id })}
                        >
                          Remove
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </section>
      <section className="card" aria-labelledby="add-server-title">
        <h2 id="add-server-title">Add a server</h2>
        <form className="stack" onSubmit={onSubmit} noValidate>
          <ErrorAlert error={create.error} />
          {FIELDS.map(([key, label]) => (
            <label key={key}>
              {label}
              <input
                type={key === "apiKey" ? "password" : "text"}
                autoComplete="off"
                value={values[key] ?? ""}
                onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
                aria-invalid={!!errors[key]}
              />
              {errors[key] && <span className="field-error">{errors[key]}</span>}
            </label>
          ))}
          <fieldset className="stack">
            <legend>SSH access (optional, for deploying Command Centers)</legend>
            <div className="row">
              <label>
                Host
                <input value={ssh.host} onChange={(e) => setSsh({ ...ssh, host: e.target.value })} />
              </label>
              <label>
                Port
                <input
                  inputMode="numeric"
                  value={ssh.port}
                  onChange={(e) => setSsh({ ...ssh, port: e.target.value })}
                />
              </label>
              <label>
                User
                <input value={ssh.user} onChange={(e) => setSsh({ ...ssh, user: e.target.value })} />
              </label>
            </div>
            <label>
              Private key (stored encrypted, never shown again)
              <textarea value={ssh.privateKey} onChange={(e) => setSsh({ ...ssh, privateKey: e.target.value })} />
              {errors["ssh.privateKey"] && <span className="field-error">{errors["ssh.privateKey"]}</span>}
            </label>
          </fieldset>
          <div>
            <button className="primary" type="submit" disabled={create.isPending}>
              {create.isPending ? "Adding…" : "Add server"}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
