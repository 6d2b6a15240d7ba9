import { ResponsiveContainer } from "recharts";

/** A titled card holding one recharts chart; the title names its region for screen readers. */
export function Chart({ title, children, height = 260 }: { title: string; children: React.ReactElement; height?: number }) {
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <div style={{ width: "100%", height }}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
    </section>
  );
}
