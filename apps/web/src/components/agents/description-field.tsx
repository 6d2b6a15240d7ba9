"use client";

import { DESCRIPTION_MAX } from "@kayos/api/routers/agents/schema";

const count = (n: number) => n.toLocaleString("en-US");

/** An agent's description with the server's limit shown as a counter, so a long one never fails silently. */
export function DescriptionField(props: { value: string; error?: string; onChange: (value: string) => void }) {
  const over = props.value.length - DESCRIPTION_MAX;
  return (
    <label>
      Description
      <input value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-invalid={!!props.error || over > 0} aria-describedby="description-count" />
      <span id="description-count" className={over > 0 ? "field-error" : "muted"}>
        {count(props.value.length)} / {count(DESCRIPTION_MAX)} characters{over > 0 && ` (${count(over)} too many)`}
      </span>
      {props.error && <span className="field-error">{props.error}</span>}
    </label>
  );
}
