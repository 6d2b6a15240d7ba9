import { ResponsiveContainer } from "recharts";

/** A titled card holding one recharts chart; the title names its region for screen readers. */
export function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <div style={{ width: "100%", height: 260 }}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
    </section>
  );
}
