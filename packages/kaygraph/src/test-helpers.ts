// Small helpers shared by the tests (not exported from the package).
import type { GraphEvent } from "./events.js";

export function recorder(): { events: GraphEvent[]; onEvent: (event: GraphEvent) => void; of: <T extends GraphEvent["type"]>(type: T) => Extract<GraphEvent, { type: T }>[] } {
  const events: GraphEvent[] = [];
  return {
    events,
    onEvent: (event) => events.push(event),
    of: (type) => events.filter((e) => e.type === type) as never,
  };
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
