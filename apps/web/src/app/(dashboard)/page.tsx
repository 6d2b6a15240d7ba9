import type { Metadata } from "next";
import { RecentRuns } from "~/components/overview/recent-runs";
import { WeekSummary } from "~/components/overview/week-summary";
import { ServiceHealthPanel } from "~/components/service-health-panel";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <div>
        <h1>Overview</h1>
        <p className="muted">Your organization&apos;s agent services, latest runs, and this week&apos;s usage.</p>
      </div>
      <ServiceHealthPanel />
      <WeekSummary />
      <RecentRuns />
    </>
  );
}
