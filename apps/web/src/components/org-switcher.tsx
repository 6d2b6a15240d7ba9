"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { ORG_COOKIE } from "~/trpc/org-cookie";

/** Switches the organization every request acts in (a cookie the tRPC link turns into a header). */
export function OrgSwitcher() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orgs = useQuery(trpc.org.mine.queryOptions());
  const current = useQuery(trpc.org.current.queryOptions());
  if (!orgs.data || orgs.data.length < 2) {
    return <span className="muted" data-testid="org-name">{current.data?.name ?? ""}</span>;
  }
  return (
    <label className="inline">
      <span className="sr-only">Organization</span>
      <select
        value={current.data?.id ?? ""}
        onChange={(e) => {
          document.cookie = `${ORG_COOKIE}=${encodeURIComponent(e.target.value)}; path=/; samesite=lax`;
          void queryClient.invalidateQueries();
        }}
      >
        {orgs.data.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role})
          </option>
        ))}
      </select>
    </label>
  );
}
