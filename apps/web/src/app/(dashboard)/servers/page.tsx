import type { Metadata } from "next";
import { ServersPanel } from "~/components/servers/servers-panel";

export const metadata: Metadata = { title: "Servers" };

export default function Page() {
  return (
    <>
      <div>
        <h1>Servers</h1>
        <p className="muted">Customer servers run your agent services; test that both HTTP and SSH reach them.</p>
      </div>
      <ServersPanel />
    </>
  );
}
