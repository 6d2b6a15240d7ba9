"use client";

import type { RouterOutputs } from "@kayos/api";
import { endUserInput } from "@kayos/api/routers/command-center/schema";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { fieldErrors } from "~/components/ui/field-errors";
import { useTRPC } from "~/trpc/react";

type Data = RouterOutputs["commandCenter"]["get"];
const EMPTY = { email: "", name: "", tenant: "", password: "" };

/** The Command Center's end users (not builders): each belongs to one tenant. Deploy to apply. */
export function EndUsersPanel({ data }: { data: Data }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ ...EMPTY, tenant: data.settings.tenants[0]?.id ?? "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const refresh = () => queryClient.invalidateQueries(trpc.commandCenter.pathFilter());
  const save = useMutation(trpc.commandCenter.saveUser.mutationOptions({ onSuccess: () => (setForm((f) => ({ ...EMPTY, tenant: f.tenant })), refresh()) }));
  const remove = useMutation(trpc.commandCenter.removeUser.mutationOptions({ onSuccess: refresh }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { data: input, errors } = fieldErrors(endUserInput, { ...form, password: form.password || undefined });
    setErrors(errors);
    if (input) save.mutate(input);
  }
  const field = (key: keyof typeof EMPTY, label: string, type = "text") => (
    <label>
      {label}
      <input type={type} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} aria-invalid={errors[key] ? true : undefined} />
      {errors[key] && <span className="field-error">{errors[key]}</span>}
    </label>
  );

  return (
    <section className="card" aria-labelledby="end-users-title">
      <h2 id="end-users-title">End users</h2>
      <ErrorAlert error={remove.error} />
      {data.users.length === 0 ? (
        <p className="empty">No end users yet. Add one below; they sign in to the deployed Command Center.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Tenant</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.users.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>{u.name}</td>
                <td>{u.tenant}</td>
                <td>
                  <button type="button" className="danger" onClick={() => remove.mutate({ id: u.id })} aria-label={`Remove ${u.email}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="stack" onSubmit={onSubmit} aria-label="Add or update an end user">
        <ErrorAlert error={save.error} />
        <div className="row">
          {field("email", "End user email", "email")}
          {field("name", "End user name")}
          <label>
            Tenant
            <select value={form.tenant} onChange={(e) => setForm({ ...form, tenant: e.target.value })}>
              {data.settings.tenants.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            {errors.tenant && <span className="field-error">{errors.tenant}</span>}
          </label>
          {field("password", "Initial password", "password")}
        </div>
        <div>
          <button type="submit" disabled={save.isPending || data.settings.tenants.length === 0}>
            {save.isPending ? "Saving…" : "Save end user"}
          </button>
        </div>
      </form>
    </section>
  );
}
