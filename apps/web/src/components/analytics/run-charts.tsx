"use client";

import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";
import { Chart } from "./chart";

const percent = (v: number) => `${Math.round(v * 100)}%`;
/** Agents are rows (bars run across), each named: a column per agent left names out once there were many. */
const rowsHeight = (rows: number) => Math.max(260, 80 + 32 * rows);

/** Runs by agent and outcome, how long they took, and the error rate per day (control-plane data). */
export function RunCharts({ days }: { days: number }) {
  const trpc = useTRPC();
  const runs = useQuery({ ...trpc.analytics.runs.queryOptions({ days }), refetchInterval: 15_000 });
  return (
    <QueryState query={runs} isEmpty={(r) => r.runs === 0} empty="No runs in this range yet.">
      {(r) => (
        <>
          <p className="muted" data-testid="run-totals">
            {r.runs} runs · {r.failed} failed ({percent(r.errorRate)}) · median duration {r.medianSeconds === null ? "—" : `${r.medianSeconds} s`}
          </p>
          <Chart title="Runs by agent" height={rowsHeight(r.byAgent.length)}>
            <BarChart data={r.byAgent} layout="vertical">
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="agent" width={160} interval={0} />
              <Tooltip />
              <Legend />
              <Bar dataKey="succeeded" stackId="r" fill="#22c55e" />
              <Bar dataKey="failed" stackId="r" fill="#ef4444" />
              <Bar dataKey="stopped" stackId="r" fill="#94a3b8" />
            </BarChart>
          </Chart>
          <Chart title="Run duration by agent (seconds)" height={rowsHeight(r.byAgent.length)}>
            <BarChart data={r.byAgent} layout="vertical">
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" />
              <YAxis type="category" dataKey="agent" width={160} interval={0} />
              <Tooltip />
              <Legend />
              <Bar dataKey="avgSeconds" name="mean" fill="#6366f1" />
              <Bar dataKey="p95Seconds" name="p95" fill="#f59e0b" />
            </BarChart>
          </Chart>
          <Chart title="Error rate per day">
            <LineChart data={r.perDay}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis domain={[0, 1]} tickFormatter={percent} />
              <Tooltip formatter={(v) => percent(Number(v))} />
              <Line type="monotone" dataKey="errorRate" name="error rate" stroke="#ef4444" />
            </LineChart>
          </Chart>
        </>
      )}
    </QueryState>
  );
}
