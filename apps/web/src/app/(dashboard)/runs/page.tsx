import type { Metadata } from "next";
import { RunList } from "~/components/runs/run-list";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <div>
        <h1>Runs</h1>
        <p className="muted">Every agent run in this organization, newest first.</p>
      </div>
      <RunList />
    </>
  );
}
