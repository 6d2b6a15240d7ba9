"use client";

import type { RouterOutputs } from "@kayos/api";
import { draftInputFor, type ConfigurableAgentType } from "@kayos/api/routers/agents/schema";
import { useEffect, useMemo, useState } from "react";
import { fieldErrors } from "~/components/ui/field-errors";
import { compactConfig } from "./config-fields";

type Agent = RouterOutputs["agents"]["get"];
type Values = Record<string, string>;

const stored = (config: unknown) => (config ?? {}) as Record<string, unknown>;
const asStrings = (config: unknown): Values => Object.fromEntries(Object.entries(stored(config)).map(([k, v]) => [k, String(v ?? "")]));
const sameValues = (a: Values, b: Values) => {
  const [x, y] = [compactConfig(a), compactConfig(b)];
  return Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v);
};

/** The form holds strings; a stored number (max_tokens set through the API) goes back as it was unless edited. */
const toConfig = (values: Values, original: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(compactConfig(values)).map(([k, v]) => [k, original[k] !== undefined && String(original[k]) === v ? original[k] : v]));

/** The agent page's draft: its fields, whether they differ from the saved draft, and their validation. */
export function useDraftForm(agent: Agent | undefined) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [config, setConfig] = useState<Values>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  // A fresh read of the agent (after saving, publishing, restoring) resets the form to what is saved.
  useEffect(() => {
    if (!agent) return;
    setName(agent.name);
    setDescription(agent.description);
    setConfig(asStrings(agent.config));
    setErrors({});
  }, [agent]);

  const dirty = useMemo(
    () => !!agent && (name !== agent.name || description !== agent.description || !sameValues(config, asStrings(agent.config))),
    [agent, name, description, config],
  );

  /** The updateDraft input, or null with the errors shown beside their fields. */
  function validate() {
    if (!agent) return null;
    const value = { id: agent.id, name, description, config: toConfig(config, stored(agent.config)) };
    const result = fieldErrors(draftInputFor(agent.agentType as ConfigurableAgentType), value);
    setErrors(result.errors);
    return result.data ? value : null;
  }

  return { name, setName, description, setDescription, config, setConfig, errors, dirty, validate };
}
