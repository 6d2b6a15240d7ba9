"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { invitePath } from "./enter-organization";

/** Takes the bare code or the whole link, since invitees paste whichever they were sent. */
function codeFrom(text: string): string {
  const trimmed = text.trim();
  try {
    return new URL(trimmed).searchParams.get("code")?.trim() ?? trimmed;
  } catch {
    return trimmed;
  }
}

export function EnterCodeForm({ label = "Continue" }: { label?: string }) {
  const router = useRouter();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const code = codeFrom(value);
    if (!code) return setError("Paste the invitation code or link you were sent.");
    setError(null);
    router.push(invitePath(code));
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <label>
        Invitation code or link
        <input
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="kinv_…"
          aria-invalid={!!error}
          autoFocus
        />
        {error && <span className="field-error">{error}</span>}
      </label>
      <button className="primary" type="submit">
        {label}
      </button>
    </form>
  );
}
