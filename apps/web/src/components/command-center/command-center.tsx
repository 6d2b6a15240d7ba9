"use client";

import { useQuery } from "@tanstack/react-query";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";
import { DeployPanel } from "./deploy-panel";
import { EndUsersPanel } from "./end-users-panel";
import { SettingsForm } from "./settings-form";

export function CommandCenter() {
  const trpc = useTRPC();
  const data = useQuery(trpc.commandCenter.get.queryOptions());
  return (
    <QueryState query={data} empty={null}>
      {(d) => (
        <>
          <SettingsForm data={d} />
          <EndUsersPanel data={d} />
          <DeployPanel deployments={d.deployments} />
        </>
      )}
    </QueryState>
  );
}
