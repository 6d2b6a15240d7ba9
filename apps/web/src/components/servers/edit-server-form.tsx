"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";
import { ServerFields } from "./server-fields";
import { describeUpdate, serverFormFrom, validateUpdate, type Server } from "./server-form";

/** Edits one server in place; only changed fields are sent, so an untouched key is never overwritten. */
export function EditServerForm({
  server,
  onSaved,
  onCancel,
}: {
  server: Server;
  onSaved: (notice: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(() => serverFormFrom(server));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [unchanged, setUnchanged] = useState(false);
  const update = useMutation(
    trpc.servers.update.mutationOptions({
      onSuccess: async (saved, input) => {
        await queryClient.invalidateQueries(trpc.servers.pathFilter());
        onSaved(`Saved "${saved.name}": ${describeUpdate(input)}.`);
      },
    }),
  );
  const nameTaken = update.error?.data?.code === "CONFLICT" && !update.isPending ? update.error.message : undefined;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    update.reset(); // a previous answer's error no longer describes what is typed now
    const { data, errors } = validateUpdate(server, values);
    setErrors(errors);
    setUnchanged(data !== null && Object.keys(data).length === 1);
    if (data && Object.keys(data).length > 1) update.mutate(data);
  }

  return (
    <section aria-labelledby={`edit-${server.id}`}>
      <h3 id={`edit-${server.id}`}>Edit {server.name}</h3>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <ErrorAlert error={nameTaken ? null : update.error} />
        <ServerFields
          server={server}
          values={values}
          errors={{ ...errors, ...(nameTaken ? { name: nameTaken } : {}) }}
          onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
        />
        <div className="row">
          <button className="primary" type="submit" disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save changes"}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          {unchanged && (
            <span className="muted" role="status">
              Nothing to save: no field was changed.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
