"use client";

import { useEffect, useRef } from "react";

/**
 * Polling stops when a run finishes, but the last poll may predate its final events: read once
 * more when `finished` turns true.
 */
export function useFinalRefetch(query: { refetch: () => Promise<unknown> }, finished: boolean) {
  const wasFinished = useRef(finished);
  useEffect(() => {
    if (finished && !wasFinished.current) void query.refetch();
    wasFinished.current = finished;
  }, [finished, query]);
}
