import type { Dashboard } from "@kayos/contracts";

const fmt = new Intl.NumberFormat("en-US");

/** The headline figures of an analytics range: sessions, tokens, cost, error rate. */
export function UsageTiles({ dashboard: d, testId }: { dashboard: Dashboard; testId: string }) {
  const tiles = [
    ["Sessions", fmt.format(d.sessions)],
    ["Tokens", fmt.format(d.usage.total_tokens)],
    ["Cost", `$${d.usage.cost_usd.toFixed(4)}`],
    ["Error rate", `${(d.error_rate * 100).toFixed(1)}%`],
  ] as const;
  return (
    <div className="grid" data-testid={testId}>
      {tiles.map(([label, value]) => (
        <div key={label} className="card">
          <span className="muted">{label}</span>
          <strong>{value}</strong>
        </div>
      ))}
    </div>
  );
}
