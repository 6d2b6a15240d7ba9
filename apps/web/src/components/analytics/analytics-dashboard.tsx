"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { QueryState } from "~/components/ui/query-state";
import { useTRPC } from "~/trpc/react";
import { Chart } from "./chart";
import { RunCharts } from "./run-charts";
import { UsageTiles } from "./usage-tiles";

export function AnalyticsDashboard() {
  const trpc = useTRPC();
  const [days, setDays] = useState(7);
  const dashboard = useQuery({ ...trpc.analytics.dashboard.queryOptions({ days }), refetchInterval: 15_000 });
  return (
    <>
      <label className="inline">
        Range
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} style={{ width: "auto" }}>
          <option value={1}>last 24 hours</option>
          <option value={7}>last 7 days</option>
          <option value={30}>last 30 days</option>
        </select>
      </label>
      <QueryState query={dashboard} isEmpty={(d) => d.sessions === 0} empty="No runs in this range yet. Run an agent to see its tokens and cost here.">
        {(d) => (
          <>
            <UsageTiles dashboard={d} testId="analytics-totals" />
            <Chart title="Tokens per day">
              <BarChart data={d.per_day}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" />
                <YAxis />
                <Tooltip />
                <Legend />
                <Bar dataKey="input_tokens" name="input" stackId="t" fill="#6366f1" />
                <Bar dataKey="output_tokens" name="output" stackId="t" fill="#22c55e" />
                <Bar dataKey="cache_read_tokens" name="cache read" stackId="t" fill="#f59e0b" />
              </BarChart>
            </Chart>
            <Chart title="Cost per day (USD)">
              <LineChart data={d.per_day}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" />
                <YAxis />
                <Tooltip />
                <Line type="monotone" dataKey="cost_usd" name="cost" stroke="#6366f1" />
              </LineChart>
            </Chart>
            <Chart title="Tokens by model">
              <BarChart data={d.per_model}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="model" />
                <YAxis />
                <Tooltip />
                <Bar dataKey="total_tokens" name="tokens" fill="#6366f1" />
              </BarChart>
            </Chart>
            <Chart title="Cost by agent type (USD)">
              <BarChart data={d.top_agents_by_cost}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="agent_id" />
                <YAxis />
                <Tooltip />
                <Bar dataKey="cost_usd" name="cost" fill="#6366f1" />
              </BarChart>
            </Chart>
          </>
        )}
      </QueryState>
      <h2>Runs</h2>
      <RunCharts days={days} />
    </>
  );
}
