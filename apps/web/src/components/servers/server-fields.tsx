"use client";

import { useId, type ChangeEvent, type ReactNode } from "react";
import { FIELD_LABELS, type Server, type ServerFormValues } from "./server-form";

type Errors = Record<string, string>;

function TextField(props: {
  label: string;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  type?: "text" | "password";
  multiline?: boolean;
  inputMode?: "numeric";
}) {
  const id = useId();
  // Named by its label text alone and described by hint and error, so the error never renames the field.
  const common = {
    value: props.value,
    autoComplete: "off",
    "aria-invalid": !!props.error,
    "aria-labelledby": `${id}-label`,
    "aria-describedby":
      [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(" ") || undefined,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onChange(e.target.value),
  };
  return (
    <label>
      <span id={`${id}-label`}>{props.label}</span>
      {props.multiline ? (
        <textarea {...common} />
      ) : (
        <input {...common} type={props.type ?? "text"} inputMode={props.inputMode} />
      )}
      {props.hint && (
        <span id={`${id}-hint`} className="muted">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${id}-error`} className="field-error">
          {props.error}
        </span>
      )}
    </label>
  );
}

/** The fields shared by "Add a server" and "Edit": with `server`, empty key fields mean "keep the stored key". */
export function ServerFields({
  values,
  errors,
  onChange,
  server,
}: {
  values: ServerFormValues;
  errors: Errors;
  onChange: (patch: Partial<ServerFormValues>) => void;
  server?: Server;
}) {
  const text = (key: keyof typeof FIELD_LABELS & keyof ServerFormValues) => ({
    label: FIELD_LABELS[key],
    value: values[key],
    error: errors[key],
    onChange: (value: string) => onChange({ [key]: value }),
  });
  const hasSsh = !!server?.sshHost;
  return (
    <>
      <TextField {...text("name")} />
      <TextField {...text("nexusUrl")} />
      <TextField {...text("smithUrl")} />
      <TextField {...text("observerUrl")} />
      <TextField
        {...text("apiKey")}
        label="Agent services API key"
        type="password"
        hint={
          server
            ? "Leave empty to keep the stored key; paste a new one to replace it."
            : "Stored encrypted and never shown again."
        }
      />
      <fieldset className="stack">
        <legend>SSH access (optional, for deploying Command Centers)</legend>
        {hasSsh && (
          <label className="inline">
            <input
              type="checkbox"
              style={{ width: "auto" }}
              checked={values.removeSsh}
              onChange={(e) => onChange({ removeSsh: e.target.checked })}
            />
            Remove SSH access from this server
          </label>
        )}
        {!values.removeSsh && (
          <>
            <div className="row" style={{ alignItems: "flex-start" }}>
              <TextField
                label="Host"
                value={values.sshHost}
                error={errors["ssh.host"]}
                onChange={(sshHost) => onChange({ sshHost })}
              />
              <TextField
                label="Port"
                inputMode="numeric"
                value={values.sshPort}
                error={errors["ssh.port"]}
                onChange={(sshPort) => onChange({ sshPort })}
              />
              <TextField
                label="User"
                value={values.sshUser}
                error={errors["ssh.user"]}
                onChange={(sshUser) => onChange({ sshUser })}
              />
            </div>
            <TextField
              label="Private key"
              multiline
              value={values.sshPrivateKey}
              error={errors["ssh.privateKey"]}
              onChange={(sshPrivateKey) => onChange({ sshPrivateKey })}
              hint={
                hasSsh
                  ? "Leave empty to keep the stored key; paste a new one to replace it."
                  : "Stored encrypted and never shown again."
              }
            />
            {server?.sshHostKey && (
              <label className="inline">
                <input
                  type="checkbox"
                  style={{ width: "auto" }}
                  checked={values.trustNewHostKey}
                  onChange={(e) => onChange({ trustNewHostKey: e.target.checked })}
                />
                <span>
                  Trust a new host key (the server was rebuilt): forget the pinned <code>{server.sshHostKey}</code> and
                  pin the key it shows on the next connection
                </span>
              </label>
            )}
          </>
        )}
      </fieldset>
    </>
  );
}
