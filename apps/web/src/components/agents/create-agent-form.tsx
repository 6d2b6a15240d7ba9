"use client";

import { createAgentInput } from "@kayos/api/routers/agents/schema";
import { AGENT_TYPES, type AgentType } from "@kayos/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { fieldErrors } from "~/components/ui/field-errors";
import { useTRPC } from "~/trpc/react";
import { compactConfig, ConfigFields } from "./config-fields";
import { DescriptionField } from "./description-field";
import { ServerField } from "./server-field";

export function CreateAgentForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [type, setType] = useState<AgentType>("claude-conversational");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [config, setConfig] = useState<Record<string, string>>({});
  const [serverId, setServerId] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation(
    trpc.agents.create.mutationOptions({
      onSuccess: async (agent) => {
        await queryClient.invalidateQueries(trpc.agents.list.queryFilter());
        router.push(`/agents/${agent.id}`);
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { data, errors } = fieldErrors(createAgentInput, { name, description, agentType: type, config: compactConfig(config), serverId: serverId || null });
    setErrors(errors);
    if (data) create.mutate(data);
  }

  return (
    <section className="card" aria-labelledby="new-agent-title">
      <h2 id="new-agent-title">New agent</h2>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <ErrorAlert error={create.error} />
        <div className="row">
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} />
            {errors.name && <span className="field-error">{errors.name}</span>}
          </label>
          <label>
            Type
            <select value={type} onChange={(e) => { setType(e.target.value as AgentType); setConfig({}); }}>
              {(Object.keys(AGENT_TYPES) as AgentType[]).map((t) => (
                <option key={t} value={t}>
                  {AGENT_TYPES[t].label} · runs on {AGENT_TYPES[t].service}
                </option>
              ))}
            </select>
          </label>
          <ServerField value={serverId} onChange={setServerId} />
        </div>
        <DescriptionField value={description} error={errors.description} onChange={setDescription} />
        <ConfigFields type={type} values={config} errors={errors} onChange={(k, v) => setConfig((c) => ({ ...c, [k]: v }))} />
        <div>
          <button className="primary" type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create agent"}
          </button>
        </div>
      </form>
    </section>
  );
}
