import type { Metadata } from "next";
import { CommandCenter } from "~/components/command-center/command-center";

export const metadata: Metadata = { title: "Command Center" };

export default function CommandCenterPage() {
  return (
    <>
      <div>
        <h1>Command Center</h1>
        <p className="muted">The app your end users get: choose its branding, agents and tenants, then deploy it to your customer&apos;s server.</p>
      </div>
      <CommandCenter />
    </>
  );
}
