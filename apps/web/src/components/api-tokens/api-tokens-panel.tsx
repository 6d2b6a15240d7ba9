"use client";

import { createApiTokenInput } from "@kayos/api/routers/api-tokens/schema";
import { ACTIONS } from "@kayos/db/roles";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { fieldErrors } from "~/components/ui/field-errors";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";

export function ApiTokensPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.apiTokens.list.queryOptions());
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["read"]);
  const [days, setDays] = useState("90");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const refresh = () => queryClient.invalidateQueries(trpc.apiTokens.pathFilter());
  const create = useMutation(trpc.apiTokens.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.apiTokens.revoke.mutationOptions({ onSuccess: refresh }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { data, errors } = fieldErrors(createApiTokenInput, { name, scopes, expiresInDays: Number(days) });
    setErrors(errors);
    if (data) create.mutate(data);
  }

  return (
    <>
      {create.data && (
        <div className="alert info" role="status">
          <p>
            <strong>Copy the token “{create.data.name}” now</strong>: it is shown only once.
          </p>
          <p className="secret" data-testid="new-token">
            {create.data.token}
          </p>
          <p>
            Use it as <code>Authorization: Bearer &lt;token&gt;</code> on <code>/api/v1</code>.
          </p>
        </div>
      )}
      <section className="card" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Tokens</h2>
        <ErrorAlert error={revoke.error} />
        <QueryState query={tokens} isEmpty={(d) => d.length === 0} empty="No API tokens yet.">
          {(list) => (
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Scopes</th>
                  <th>Owner</th>
                  <th>Expires</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((t) => (
                  <tr key={t.id}>
                    <td>
                      {t.name} <code>{t.prefix}…</code>
                    </td>
                    <td>{t.scopes.join(", ")}</td>
                    <td>{t.user.email}</td>
                    <td>{t.expiresAt?.toLocaleDateString() ?? "never"}</td>
                    <td>{t.lastUsedAt?.toLocaleString() ?? "never"}</td>
                    <td>
                      {t.revokedAt ? (
                        <span className="badge down">revoked</span>
                      ) : (
                        <button type="button" className="danger" onClick={() => revoke.mutate({ id: t.id })}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </section>
      <section className="card" aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <form className="stack" onSubmit={onSubmit} noValidate>
          <ErrorAlert error={create.error} />
          <div className="row">
            <label>
              Name
              <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} />
              {errors.name && <span className="field-error">{errors.name}</span>}
            </label>
            <label>
              Expires in (days)
              <input inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} aria-invalid={!!errors.expiresInDays} />
              {errors.expiresInDays && <span className="field-error">{errors.expiresInDays}</span>}
            </label>
          </div>
          <fieldset>
            <legend>Scopes</legend>
            <div className="row">
              {ACTIONS.map((a) => (
                <label key={a} className="inline">
                  <input
                    type="checkbox"
                    style={{ width: "auto" }}
                    checked={scopes.includes(a)}
                    onChange={(e) => setScopes((s) => (e.target.checked ? [...s, a] : s.filter((x) => x !== a)))}
                  />
                  {a}
                </label>
              ))}
            </div>
            {errors.scopes && <span className="field-error">{errors.scopes}</span>}
          </fieldset>
          <div>
            <button className="primary" type="submit" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create token"}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
