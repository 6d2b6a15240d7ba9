import type { Metadata } from "next";
import { ApiTokensPanel } from "~/components/api-tokens/api-tokens-panel";

export const metadata: Metadata = { title: "API tokens" };

export default function Page() {
  return (
    <>
      <div>
        <h1>API tokens</h1>
        <p className="muted">Bearer tokens for the REST API (/api/v1), scoped and expiring.</p>
      </div>
      <ApiTokensPanel />
    </>
  );
}
