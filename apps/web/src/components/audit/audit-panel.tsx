"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

export function AuditPanel() {
  const trpc = useTRPC();
  const audit = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  if (audit.isPending) return <p className="muted" role="status">Loading…</p>;
  if (audit.isError) {
    return (
      <div className="alert error" role="alert">
        Could not load the audit log: {audit.error.message}
      </div>
    );
  }
  const items = audit.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <div className="empty">Nothing has changed in this organization yet.</div>;
  return (
    <section className="card" aria-label="Audit events">
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Changes</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td>{e.createdAt.toLocaleString()}</td>
              <td>{e.actorEmail ?? "system"}</td>
              <td>
                {e.resource}.{e.action} {e.resourceId && <code>{e.resourceId}</code>}
              </td>
              <td>
                <code>{e.changes ? JSON.stringify(e.changes) : ""}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.hasNextPage && (
        <button type="button" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          {audit.isFetchingNextPage ? "Loading…" : "Load older events"}
        </button>
      )}
    </section>
  );
}
