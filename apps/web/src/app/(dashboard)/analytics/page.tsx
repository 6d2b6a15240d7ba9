import type { Metadata } from "next";
import { AnalyticsDashboard } from "~/components/analytics/analytics-dashboard";

export const metadata: Metadata = { title: "Analytics" };

export default function AnalyticsPage() {
  return (
    <>
      <div>
        <h1>Analytics</h1>
        <p className="muted">Tokens and cost of every model call (from CodingObserver); runs, durations and failures per agent (from the control plane).</p>
      </div>
      <AnalyticsDashboard />
    </>
  );
}
