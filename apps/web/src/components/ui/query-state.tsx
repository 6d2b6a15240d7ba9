"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

/** Loading, error and empty states for a list query, so no page forgets one. */
export function QueryState<T>(props: {
  query: UseQueryResult<T, { message: string }>;
  isEmpty?: (data: T) => boolean;
  empty: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isPending) return <p className="muted" role="status">Loading…</p>;
  if (query.isError) {
    return (
      <div className="alert error" role="alert">
        Could not load this: {query.error.message}. <button onClick={() => void query.refetch()}>Try again</button>
      </div>
    );
  }
  if (props.isEmpty?.(query.data)) return <div className="empty">{props.empty}</div>;
  return <>{props.children(query.data)}</>;
}
