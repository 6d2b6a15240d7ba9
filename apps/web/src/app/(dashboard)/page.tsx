import type { Metadata } from "next";
import { ServiceHealthPanel } from "~/components/service-health-panel";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <div>
        <h1>Overview</h1>
        <p className="muted">The control plane and your organization&apos;s agent services, checked every few seconds.</p>
      </div>
      <ServiceHealthPanel />
    </>
  );
}
