"use client";

import { errorMessages } from "./field-errors";

/**
 * A failed mutation's message, as the server wrote it (it says what to do), one line per problem;
 * or the given messages (a form's own validation, summarised beside its submit button).
 */
export function ErrorAlert(props: { error: { message: string; data?: unknown } | null } | { messages: string[] }) {
  const messages = "messages" in props ? [...new Set(props.messages)] : props.error ? errorMessages(props.error) : [];
  if (messages.length === 0) return null;
  return (
    <div className="alert error" role="alert">
      {messages.length === 1 ? (
        messages[0]
      ) : (
        <ul>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
