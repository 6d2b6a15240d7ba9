"use client";

import { AGENT_TYPES, type AgentType } from "@kayos/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";
import { RunAgentForm } from "~/components/runs/run-agent-form";
import { compactConfig, ConfigFields } from "./config-fields";

const asStrings = (config: unknown) =>
  Object.fromEntries(Object.entries((config ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v ?? "")]));

export function AgentDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const agent = useQuery(trpc.agents.get.queryOptions({ id }));
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [config, setConfig] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!agent.data) return;
    setName(agent.data.name);
    setDescription(agent.data.description);
    setConfig(asStrings(agent.data.config));
  }, [agent.data]);

  const refresh = () => queryClient.invalidateQueries(trpc.agents.pathFilter());
  const save = useMutation(trpc.agents.updateDraft.mutationOptions({ onSuccess: () => (setNotice("Draft saved."), refresh()) }));
  const publish = useMutation(
    trpc.agents.publish.mutationOptions({ onSuccess: (v) => (setNotice(`Published version ${v.version}.`), refresh()) }),
  );
  const restore = useMutation(
    trpc.agents.restoreVersion.mutationOptions({
      onSuccess: (_, input) => (setNotice(`Version ${input.version} restored as the draft; publish to make it current.`), refresh()),
    }),
  );
  const error = save.error ?? publish.error ?? restore.error;
  // A new action clears the previous one's message, success or failure.
  const clear = () => {
    setNotice(null);
    save.reset();
    publish.reset();
    restore.reset();
  };

  function onSave(event: FormEvent) {
    event.preventDefault();
    clear();
    save.mutate({ id, name, description, config: compactConfig(config) });
  }

  return (
    <QueryState query={agent} empty={null}>
      {(a) => (
        <>
          <div>
            <p className="muted">
              <Link href="/agents">Agents</Link> / {a.name}
            </p>
            <h1>{a.name}</h1>
            <p className="muted">
              {AGENT_TYPES[a.agentType as AgentType]?.label ?? a.agentType} ·{" "}
              {a.latestVersion > 0 ? `latest published: v${a.latestVersion}` : "never published"}
            </p>
          </div>
          {notice && (
            <div className="alert ok" role="status">
              {notice}
            </div>
          )}
          <ErrorAlert error={error} />
          <section className="card" aria-labelledby="draft-title">
            <h2 id="draft-title">Draft</h2>
            <form className="stack" onSubmit={onSave}>
              <label>
                Name
                <input value={name} onChange={(e) => setName(e.target.value)} />
              </label>
              <label>
                Description
                <input value={description} onChange={(e) => setDescription(e.target.value)} />
              </label>
              <ConfigFields
                type={a.agentType as AgentType}
                values={config}
                errors={{}}
                onChange={(k, v) => setConfig((c) => ({ ...c, [k]: v }))}
              />
              <div className="row">
                <button type="submit" disabled={save.isPending}>
                  {save.isPending ? "Saving…" : "Save draft"}
                </button>
                <button className="primary" type="button" disabled={publish.isPending} onClick={() => (clear(), publish.mutate({ id }))}>
                  {publish.isPending ? "Publishing…" : "Publish new version"}
                </button>
              </div>
            </form>
          </section>
          <RunAgentForm
            agentId={a.id}
            published={a.latestVersion > 0}
            needsPrompt={AGENT_TYPES[a.agentType as AgentType]?.service === "nexus" && a.agentType !== "kaygraph"}
          />
          <section className="card" aria-labelledby="versions-title">
            <h2 id="versions-title">Versions</h2>
            {a.versions.length === 0 ? (
              <div className="empty">No published versions yet. Publish the draft to freeze it as version 1.</div>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Configuration</th>
                    <th>Published</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {a.versions.map((v) => (
                    <tr key={v.id} data-testid={`version-${v.version}`}>
                      <td>v{v.version}</td>
                      <td>
                        <code>{JSON.stringify(v.config)}</code>
                      </td>
                      <td>{v.createdAt.toLocaleString()}</td>
                      <td>
                        <button type="button" onClick={() => (clear(), restore.mutate({ id, version: v.version }))}>
                          Restore as draft
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </QueryState>
  );
}
