"use client";

import type { AgentType } from "@kayos/contracts";

interface ConfigField {
  key: string;
  label: string;
  multiline?: boolean;
  number?: boolean;
  options?: [string, string][];
}

// The fields of agents that work in a workspace on Smith.
const WORKSPACE: ConfigField = { key: "workspace", label: "Workspace (folder under the server's workspace root)" };
const ISOLATION: ConfigField = {
  key: "isolation",
  label: "Runs at once",
  options: [
    ["", "Work in the workspace itself"],
    ["worktree", "Each run in its own git worktree (a branch from the workspace's current commit)"],
  ],
};

/** The config fields of one agent type (mirrors agentConfigByType on the server). */
export const CONFIG_FIELDS: Record<AgentType, ConfigField[]> = {
  "claude-conversational": [
    { key: "model", label: "Model (blank for the default)" },
    { key: "system", label: "System prompt", multiline: true },
  ],
  planner: [
    { key: "model", label: "Model (blank for the default)" },
    { key: "system", label: "Planning instructions", multiline: true },
  ],
  "complete-planner": [
    { key: "model", label: "Model (blank for the default)" },
    { key: "system", label: "Planning instructions", multiline: true },
  ],
  kaygraph: [{ key: "definition_id", label: "Stored definition id" }],
  claude_code: [
    WORKSPACE,
    { key: "prompt", label: "Task for Claude Code", multiline: true },
    {
      key: "approvals",
      label: "Tool use",
      options: [
        ["", "Runs every tool without asking"],
        ["ask", "Asks on the run page before each tool use"],
      ],
    },
    ISOLATION,
  ],
  shell: [
    WORKSPACE,
    { key: "command", label: "Command to start (blank for a shell)" },
    ISOLATION,
  ],
};

export function ConfigFields(props: {
  type: AgentType;
  values: Record<string, string>;
  errors: Record<string, string>;
  onChange: (key: string, value: string) => void;
}) {
  return (
    <>
      {CONFIG_FIELDS[props.type].map((f) => {
        const error = props.errors[`config.${f.key}`];
        const id = `config-${f.key}`;
        return (
          <label key={f.key} htmlFor={id}>
            {f.label}
            {f.options ? (
              <select id={id} value={props.values[f.key] ?? ""} onChange={(e) => props.onChange(f.key, e.target.value)} aria-invalid={!!error}>
                {f.options.map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
            ) : f.multiline ? (
              <textarea id={id} value={props.values[f.key] ?? ""} onChange={(e) => props.onChange(f.key, e.target.value)} aria-invalid={!!error} />
            ) : (
              <input id={id} value={props.values[f.key] ?? ""} onChange={(e) => props.onChange(f.key, e.target.value)} aria-invalid={!!error} />
            )}
            {error && <span className="field-error">{error}</span>}
          </label>
        );
      })}
    </>
  );
}

/** Drops blank optional fields so the schema sees only what the builder filled in. */
export const compactConfig = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ""));
