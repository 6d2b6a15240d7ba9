import type { Metadata } from "next";
import { AuditPanel } from "~/components/audit/audit-panel";

export const metadata: Metadata = { title: "Audit log" };

export default function Page() {
  return (
    <>
      <div>
        <h1>Audit log</h1>
        <p className="muted">Every change in this organization: who, what, when.</p>
      </div>
      <AuditPanel />
    </>
  );
}
