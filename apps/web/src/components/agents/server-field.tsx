"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/** Which of the organization's servers the agent runs on; empty means the organization's default. */
export function ServerField({ value, onChange }: { value: string; onChange: (serverId: string) => void }) {
  const trpc = useTRPC();
  const servers = useQuery(trpc.servers.list.queryOptions());
  // The list comes default first.
  const fallback = servers.data?.[0];
  return (
    <label>
      Runs on server
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={!servers.data}>
        <option value="">{fallback ? `Organization default (${fallback.name})` : "Organization default"}</option>
        {servers.data?.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {servers.isError && <span className="field-error">Could not load the servers: {servers.error.message}</span>}
    </label>
  );
}
