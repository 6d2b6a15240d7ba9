"use client";

import type { RouterOutputs } from "@kayos/api";
import { updateSettingsInput, type CommandCenterSettings } from "@kayos/api/routers/command-center/schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { fieldErrors } from "~/components/ui/field-errors";
import { useTRPC } from "~/trpc/react";

type Data = RouterOutputs["commandCenter"]["get"];

function FieldError({ errors, path }: { errors: Record<string, string>; path: string }) {
  return errors[path] ? <span className="field-error">{errors[path]}</span> : null;
}

/** Branding, the agents offered (each at a published version), tenants, and where it is deployed. */
export function SettingsForm({ data }: { data: Data }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const servers = useQuery(trpc.servers.list.queryOptions());
  const [settings, setSettings] = useState<CommandCenterSettings>(data.settings);
  const [serverId, setServerId] = useState(data.serverId ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation(trpc.commandCenter.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.commandCenter.pathFilter()) }));
  const set = (patch: Partial<CommandCenterSettings>) => setSettings((s) => ({ ...s, ...patch }));
  // Terminal agents cannot be offered to end users; one offered before that rule still shows, to be unticked.
  const published = data.agents.filter((a) => a.versions.length > 0 && (a.offerable || settings.agents.some((x) => x.agentId === a.id)));
  const offered = new Map(settings.agents.map((a) => [a.agentId, a.version]));

  function toggleAgent(agentId: string, latest: number, on: boolean) {
    set({
      agents: on ? [...settings.agents, { agentId, version: latest }] : settings.agents.filter((a) => a.agentId !== agentId),
      tenants: on ? settings.tenants : settings.tenants.map((t) => ({ ...t, agentIds: t.agentIds.filter((id) => id !== agentId) })),
    });
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.reset();
    const { data: input, errors } = fieldErrors(updateSettingsInput, { settings, serverId: serverId || null });
    setErrors(errors);
    if (input) save.mutate(input);
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Command Center settings" noValidate>
      <section className="card" aria-labelledby="branding-title">
        <h2 id="branding-title">Branding</h2>
        <label>
          Product name
          <input value={settings.productName} onChange={(e) => set({ productName: e.target.value })} />
          <FieldError errors={errors} path="settings.productName" />
        </label>
        <label>
          Logo URL (optional)
          <input value={settings.logoUrl} onChange={(e) => set({ logoUrl: e.target.value })} placeholder="https://…" aria-invalid={!!errors["settings.logoUrl"]} />
          <FieldError errors={errors} path="settings.logoUrl" />
        </label>
        <div className="row">
          {(["primary", "background", "text"] as const).map((k) => (
            <label key={k} className="inline">
              {k[0]!.toUpperCase() + k.slice(1)} colour
              <input type="color" value={settings.colors[k]} onChange={(e) => set({ colors: { ...settings.colors, [k]: e.target.value } })} />
            </label>
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="offered-title">
        <h2 id="offered-title">Agents offered</h2>
        {published.length === 0 ? (
          <p className="empty">No published agents to offer yet. Publish a conversational, planner or KayGraph agent first (terminal agents cannot be offered).</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Offer</th>
                <th>Agent</th>
                <th>Version</th>
              </tr>
            </thead>
            <tbody>
              {published.map((a) => (
                <tr key={a.id}>
                  <td>
                    <input type="checkbox" aria-label={`Offer ${a.name}`} checked={offered.has(a.id)} onChange={(e) => toggleAgent(a.id, a.versions[0]!, e.target.checked)} style={{ width: "auto" }} />
                  </td>
                  <td>
                    {a.name} <span className="muted">({a.agentType})</span>
                    {!a.offerable && (
                      <span className="field-error">
                        {" "}
                        {a.agentType} agents run in a terminal on the server and cannot be offered to end users; untick it.
                      </span>
                    )}
                  </td>
                  <td>
                    <select
                      aria-label={`Version of ${a.name}`}
                      disabled={!offered.has(a.id)}
                      value={offered.get(a.id) ?? a.versions[0]}
                      onChange={(e) => set({ agents: settings.agents.map((x) => (x.agentId === a.id ? { ...x, version: Number(e.target.value) } : x)) })}
                    >
                      {a.versions.map((v) => (
                        <option key={v} value={v}>
                          v{v}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <FieldError errors={errors} path="settings.agents" />
      </section>

      <section className="card" aria-labelledby="tenants-title">
        <div className="section-head">
          <h2 id="tenants-title">Tenants</h2>
          <button type="button" onClick={() => set({ tenants: [...settings.tenants, { id: "", name: "", agentIds: [] }] })}>
            Add tenant
          </button>
        </div>
        {settings.tenants.length === 0 && <p className="empty">No tenants yet. End users belong to a tenant and see only its agents and runs.</p>}
        {settings.tenants.map((t, i) => {
          const update = (patch: Partial<typeof t>) => set({ tenants: settings.tenants.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
          return (
            <fieldset key={i} className="stack">
              <legend>Tenant {i + 1}</legend>
              <div className="row">
                <label>
                  Tenant id
                  <input value={t.id} onChange={(e) => update({ id: e.target.value })} placeholder="acme" />
                  <FieldError errors={errors} path={`settings.tenants.${i}.id`} />
                </label>
                <label>
                  Tenant name
                  <input value={t.name} onChange={(e) => update({ name: e.target.value })} placeholder="Acme Inc." />
                  <FieldError errors={errors} path={`settings.tenants.${i}.name`} />
                </label>
                <button type="button" className="danger" onClick={() => set({ tenants: settings.tenants.filter((_, j) => j !== i) })}>
                  Remove tenant
                </button>
              </div>
              <div className="row" role="group" aria-label={`Agents of tenant ${i + 1}`}>
                {settings.agents.map(({ agentId }) => {
                  const agent = data.agents.find((a) => a.id === agentId);
                  return (
                    <label key={agentId} className="inline">
                      <input
                        type="checkbox"
                        style={{ width: "auto" }}
                        checked={t.agentIds.includes(agentId)}
                        onChange={(e) => update({ agentIds: e.target.checked ? [...t.agentIds, agentId] : t.agentIds.filter((x) => x !== agentId) })}
                      />
                      {agent?.name ?? agentId}
                    </label>
                  );
                })}
                {settings.agents.length === 0 && <span className="muted">Offer agents above to give them to this tenant.</span>}
              </div>
            </fieldset>
          );
        })}
      </section>

      <section className="card" aria-labelledby="target-title">
        <h2 id="target-title">Where it runs</h2>
        <label>
          Server
          <select value={serverId} onChange={(e) => setServerId(e.target.value)}>
            <option value="">The organization&apos;s default server</option>
            {(servers.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.sshHost ? ` (SSH ${s.sshUser}@${s.sshHost})` : " (no SSH access)"}
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <label>
            Folder on the server
            <input value={settings.root} onChange={(e) => set({ root: e.target.value })} />
            <FieldError errors={errors} path="settings.root" />
          </label>
          <label>
            Port
            <input type="number" value={settings.port} onChange={(e) => set({ port: Number(e.target.value) })} />
            <FieldError errors={errors} path="settings.port" />
          </label>
        </div>
      </section>
      <ErrorAlert error={save.error} />
      {/* Beside the Save button too: the field may be far up the page, or have no input of its own. */}
      <ErrorAlert messages={Object.values(errors)} />
      <div className="row">
        <button className="primary" type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </button>
        {save.isSuccess && !save.isPending && <span className="muted" role="status">Saved.</span>}
      </div>
    </form>
  );
}
