"use client";

import { AGENT_TYPES, type AgentType } from "@kayos/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { QueryState } from "~/components/ui/query-state";
import { useLeaveWarning } from "~/components/ui/use-leave-warning";
import { useTRPC } from "~/trpc/react";
import { RunAgentForm } from "~/components/runs/run-agent-form";
import { ConfigFields } from "./config-fields";
import { DescriptionField } from "./description-field";
import { AgentServerCard } from "./agent-server-card";
import { useDraftForm } from "./use-draft-form";

export function AgentDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const agent = useQuery(trpc.agents.get.queryOptions({ id }));
  const draft = useDraftForm(agent.data);
  const [notice, setNotice] = useState<string | null>(null);
  useLeaveWarning(draft.dirty);

  const refresh = () => queryClient.invalidateQueries(trpc.agents.pathFilter());
  const save = useMutation(trpc.agents.updateDraft.mutationOptions({ onSuccess: refresh }));
  const publish = useMutation(trpc.agents.publish.mutationOptions({ onSuccess: refresh }));
  const restore = useMutation(
    trpc.agents.restoreVersion.mutationOptions({
      onSuccess: (_, input) => (setNotice(`Version ${input.version} restored as the draft; publish to make it current.`), refresh()),
    }),
  );
  const error = save.error ?? publish.error ?? restore.error;
  const busy = save.isPending || publish.isPending;
  // A new action clears the previous one's message, success or failure.
  const clear = () => {
    setNotice(null);
    save.reset();
    publish.reset();
    restore.reset();
  };

  /** Saves the draft; false when it could not (the errors are on screen). */
  async function saveDraft() {
    const input = draft.validate();
    return !!input && (await save.mutateAsync(input).then(() => true, () => false));
  }

  async function onSave(event: FormEvent) {
    event.preventDefault();
    clear();
    if (await saveDraft()) setNotice("Draft saved.");
  }

  // Publishing freezes the saved draft, so unsaved edits are saved first rather than silently left out.
  async function onPublish() {
    clear();
    const savedFirst = draft.dirty;
    if (savedFirst && !(await saveDraft())) return;
    const version = await publish.mutateAsync({ id }).catch(() => null);
    if (version) setNotice(`${savedFirst ? "Draft saved. " : ""}Published version ${version.version}.`);
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
          <AgentServerCard agent={a} />
          <section className="card" aria-labelledby="draft-title">
            <h2 id="draft-title">Draft</h2>
            <form className="stack" onSubmit={(e) => void onSave(e)} noValidate>
              <label>
                Name
                <input value={draft.name} onChange={(e) => draft.setName(e.target.value)} aria-invalid={!!draft.errors.name} />
                {draft.errors.name && <span className="field-error">{draft.errors.name}</span>}
              </label>
              <DescriptionField value={draft.description} error={draft.errors.description} onChange={draft.setDescription} />
              <ConfigFields
                type={a.agentType as AgentType}
                values={draft.config}
                errors={draft.errors}
                onChange={(k, v) => draft.setConfig((c) => ({ ...c, [k]: v }))}
              />
              <div className="row">
                <button type="submit" disabled={busy}>
                  {save.isPending ? "Saving…" : "Save draft"}
                </button>
                <button className="primary" type="button" disabled={busy} onClick={() => void onPublish()}>
                  {publish.isPending ? "Publishing…" : "Publish new version"}
                </button>
                {draft.dirty && (
                  <span className="muted" data-testid="unsaved">
                    Unsaved edits: publishing saves them first.
                  </span>
                )}
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
