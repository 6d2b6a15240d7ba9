"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useTRPC } from "~/trpc/react";
import { ServerFields } from "./server-fields";
import { emptyServerForm, validateCreate } from "./server-form";

export function AddServerForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(emptyServerForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation(
    trpc.servers.create.mutationOptions({
      onSuccess: () => {
        setValues(emptyServerForm);
        return queryClient.invalidateQueries(trpc.servers.pathFilter());
      },
    }),
  );
  // A taken name is the name field's problem: say it there rather than above the form.
  const nameTaken = create.error?.data?.code === "CONFLICT" ? create.error.message : undefined;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.reset(); // a previous answer's error no longer describes what is typed now
    const { data, errors } = validateCreate(values);
    setErrors(errors);
    if (data) create.mutate(data);
  }

  return (
    <section className="card" aria-labelledby="add-server-title">
      <h2 id="add-server-title">Add a server</h2>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <ErrorAlert error={nameTaken ? null : create.error} />
        <ServerFields
          values={values}
          errors={{ ...errors, ...(nameTaken && !create.isPending ? { name: nameTaken } : {}) }}
          onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
        />
        <div>
          <button className="primary" type="submit" disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add server"}
          </button>
        </div>
      </form>
    </section>
  );
}
