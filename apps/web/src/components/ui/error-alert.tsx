"use client";

/** A failed mutation's message, as the server wrote it (it says what to do). */
export function ErrorAlert({ error }: { error: { message: string } | null }) {
  if (!error) return null;
  return (
    <div className="alert error" role="alert">
      {error.message}
    </div>
  );
}
