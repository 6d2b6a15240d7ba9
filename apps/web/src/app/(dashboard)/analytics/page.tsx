import type { Metadata } from "next";
import { AnalyticsDashboard } from "~/components/analytics/analytics-dashboard";

export const metadata: Metadata = { title: "Analytics" };

export default function AnalyticsPage() {
  return (
    <>
      <div>
        <h1>Analytics</h1>
        <p className="muted">Tokens, cost and failures of every run, from CodingObserver.</p>
      </div>
      <AnalyticsDashboard />
    </>
  );
}
